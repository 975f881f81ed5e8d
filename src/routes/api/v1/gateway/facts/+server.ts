import { issuer } from '$lib/server/app';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { gatewayFactDeps } from '$lib/server/federation/fact-exchange-deps';
import { acceptFactBatch } from '$lib/server/federation/gateway-facts';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Gateway: a region submits a signed fact batch; the answer says per item accepted or rejected (with the reason) (docs/federation.md §Facts). */
export const POST: RequestHandler = ({ request }) =>
	respond(async () => {
		const deps = await issuer();
		return jsonResponse(await acceptFactBatch(gatewayFactDeps(deps), await readJson(request, 4 * 1024 * 1024)));
	});
