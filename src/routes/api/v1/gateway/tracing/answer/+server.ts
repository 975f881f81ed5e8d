import { issuer } from '$lib/server/app';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { gatewayFactDeps } from '$lib/server/federation/fact-exchange-deps';
import { acceptTracingAnswer } from '$lib/server/federation/gateway-tracing';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Gateway: the asked region answers a tracing request, once (signed "tracing-answer") (docs/federation.md §Cross-region tracing). */
export const POST: RequestHandler = ({ request }) =>
	respond(async () => {
		const deps = await issuer();
		return jsonResponse(await acceptTracingAnswer(gatewayFactDeps(deps), await readJson(request, 64 * 1024)));
	});
