import { issuer } from '$lib/server/app';
import { respond } from '$lib/server/http/respond';
import { bundleResponse } from '$lib/server/federation/bundle-response';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Gateway: the national trust bundle (code-format §10.3), with per-region deltas since ?have= and ?keys=. */
export const GET: RequestHandler = ({ url }) =>
	respond(async () => {
		const deps = await issuer();
		return bundleResponse(deps, url);
	});
