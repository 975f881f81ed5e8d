import { issuer } from '$lib/server/app';
import { respond } from '$lib/server/http/respond';
import { bundleResponse } from '$lib/server/federation/bundle-response';
import type { RequestHandler } from './$types';

export const prerender = false;

/**
 * A region's mirror of the national trust bundle (federation/mirror-job.ts keeps it): scanners refresh every
 * region's keys and status lists from their own region server, also while the gateway is down.
 */
export const GET: RequestHandler = ({ url }) =>
	respond(async () => {
		const deps = await issuer();
		return bundleResponse(deps, url);
	});
