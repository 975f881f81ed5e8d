import { issuer } from '$lib/server/app';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { gatewayFactDeps } from '$lib/server/federation/fact-exchange-deps';
import { pollTracing } from '$lib/server/federation/gateway-tracing';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Gateway: a region reads the tracing requests addressed to it and the answers to its own (signed "tracing-poll") (docs/federation.md §Cross-region tracing). */
export const POST: RequestHandler = ({ request }) =>
	respond(async () => {
		const deps = await issuer();
		return jsonResponse(await pollTracing(gatewayFactDeps(deps), await readJson(request, 64 * 1024)));
	});
