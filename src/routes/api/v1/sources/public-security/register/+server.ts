import { issuer } from '$lib/server/app';
import { ApiError } from '$lib/server/http/api-error';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { pushHouseholdRegister, sourceForKey } from '$lib/server/sources/sources';
import type { RequestHandler } from './$types';

export const prerender = false;

/** The public-security source pushes household-register records (API key as bearer). All or nothing. */
export const POST: RequestHandler = ({ request }) =>
	respond(async () => {
		const deps = await issuer();
		const auth = request.headers.get('authorization');
		const source = await sourceForKey(deps.db, deps.hmacKey, auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined);
		if (source !== 'public-security') throw new ApiError(401, 'auth/source', 'A public-security source key is required / 需要公安数据源密钥');
		return jsonResponse(await pushHouseholdRegister(deps.db, deps.hmacKey, await readJson(request, 4 * 1024 * 1024), deps.clock()));
	});
