import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { factExchangeView } from '$lib/server/federation/fact-exchange-view';
import type { FederationFactsView } from '$lib/core/contract/federation-facts';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: this region's fact exchange — the outbox by state (rejected facts with their reason) and the latest received facts. */
export const GET: RequestHandler = ({ request, cookies, url }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await factExchangeView(deps, url.searchParams.get('state') ?? undefined)) satisfies FederationFactsView);
	});
