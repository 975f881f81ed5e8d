import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { addSourceKeyFromConsole } from '$lib/server/staff/devices';
import { AddSourceKeyRequestSchema, type AddedSourceKey } from '$lib/core/contract/console-people';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff (admin): a new API key for a data source; the key is in the answer, once (only its keyed hash is kept). Audited. */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'admin');
		const body = await readRequest(request, AddSourceKeyRequestSchema, 1024);
		return jsonResponse((await addSourceKeyFromConsole(deps, s.subject, body.source)) satisfies AddedSourceKey, { status: 201 });
	});
