import { issuer } from '$lib/server/app';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { gatewayFactDeps } from '$lib/server/federation/fact-exchange-deps';
import { acceptRegistrations } from '$lib/server/federation/gateway-facts';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Gateway: a region registers its residents’ routing hashes (signed "registrations" message); conflicts are reported, never overwritten (docs/federation.md §Facts). */
export const POST: RequestHandler = ({ request }) =>
	respond(async () => {
		const deps = await issuer();
		return jsonResponse(await acceptRegistrations(gatewayFactDeps(deps), await readJson(request, 8 * 1024 * 1024)));
	});
