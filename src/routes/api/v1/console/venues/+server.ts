import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { listVenues } from '$lib/server/scans/venue-list';
import type { VenuesResponse } from '$lib/core/contract/console';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the venues, with how many guard phones each has enrolled. */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse({ venues: await listVenues(deps.db) } satisfies VenuesResponse);
	});
