import { issuer } from '$lib/server/app';
import { requireResident } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { myCodes } from '$lib/server/issuer/my-codes';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Current + next code for the holder and each member. ETag / If-None-Match → 304 when nothing changed. */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const { people, etag } = await myCodes(deps, account.id);
		const headers = { etag, 'cache-control': 'private, no-cache' };
		if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
		return jsonResponse({ people, serverTime: deps.clock() }, { headers });
	});
