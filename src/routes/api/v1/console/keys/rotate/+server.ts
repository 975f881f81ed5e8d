import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { rotateFromConsole } from '$lib/server/staff/console-keys';
import { RotateKeyRequestSchema, type RotatedKey } from '$lib/core/contract/console-people';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff (admin): rotate a region's issuer key (`confirm`: the region typed again), as `tongxing keys rotate`. Audited. */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'admin');
		const body = await readRequest(request, RotateKeyRequestSchema, 1024);
		return jsonResponse((await rotateFromConsole(deps, s.subject, body)) satisfies RotatedKey);
	});
