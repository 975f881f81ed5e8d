import { issuer } from '$lib/server/app';
import { respond, jsonResponse } from '$lib/server/http/respond';
import { regionHead } from '$lib/server/federation/gateway-trust';
import { federationContext } from '$lib/server/federation/federation-context';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Gateway: what it holds for a region (key-list version, status seq): what the region's publish job still has to upload. */
export const GET: RequestHandler = ({ params }) =>
	respond(async () => {
		const deps = await issuer();
		return jsonResponse(await regionHead(federationContext(deps), params.region));
	});
