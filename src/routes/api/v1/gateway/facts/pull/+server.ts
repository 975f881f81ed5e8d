import { issuer } from '$lib/server/app';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { gatewayFactDeps } from '$lib/server/federation/fact-exchange-deps';
import { pullFacts } from '$lib/server/federation/gateway-facts';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Gateway: a region reads its queue after a cursor (signed "pull" message) (docs/federation.md §Facts). */
export const POST: RequestHandler = ({ request }) =>
	respond(async () => {
		const deps = await issuer();
		return jsonResponse(await pullFacts(gatewayFactDeps(deps), await readJson(request, 64 * 1024)));
	});
