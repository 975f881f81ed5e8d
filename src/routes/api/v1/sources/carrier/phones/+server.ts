import { issuer } from '$lib/server/app';
import { bearerToken } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { pushPhoneRegistry, requireSource } from '$lib/server/sources/sources';
import type { RequestHandler } from './$types';

export const prerender = false;

/** The carrier source pushes phone ↔ ID registrations (API key as bearer). All or nothing. */
export const POST: RequestHandler = ({ request }) =>
	respond(async () => {
		const deps = await issuer();
		await requireSource(deps.db, deps.hmacKey, bearerToken(request), 'carrier');
		return jsonResponse(await pushPhoneRegistry(deps.db, deps.hmacKey, await readJson(request, 4 * 1024 * 1024), deps.clock()));
	});
