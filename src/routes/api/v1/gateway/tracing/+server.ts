import { issuer } from '$lib/server/app';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { gatewayFactDeps } from '$lib/server/federation/fact-exchange-deps';
import { acceptTracingRequest } from '$lib/server/federation/gateway-tracing';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Gateway: a region asks another for the co-visitors of a case’s visits there (signed "tracing-request") (docs/federation.md §Cross-region tracing). */
export const POST: RequestHandler = ({ request }) =>
	respond(async () => {
		const deps = await issuer();
		return jsonResponse(await acceptTracingRequest(gatewayFactDeps(deps), await readJson(request, 64 * 1024)));
	});
