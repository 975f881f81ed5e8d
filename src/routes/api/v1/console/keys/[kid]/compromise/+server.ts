import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { compromiseFromConsole } from '$lib/server/staff/console-keys';
import { CompromiseKeyRequestSchema, type CompromisedKey } from '$lib/core/contract/console-people';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff (admin): mark an issuer key compromised (`confirm`: the kid typed again), as `tongxing keys compromise`. Audited. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'admin');
		const body = await readRequest(request, CompromiseKeyRequestSchema, 1024);
		return jsonResponse((await compromiseFromConsole(deps, s.subject, params.kid, body.confirm)) satisfies CompromisedKey);
	});
