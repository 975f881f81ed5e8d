import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { listVenues } from '$lib/server/scans/venue-list';
import { addVenueFromConsole } from '$lib/server/staff/devices';
import type { VenuesResponse } from '$lib/core/contract/console';
import { AddVenueRequestSchema, type VenueDetail } from '$lib/core/contract/console-people';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the venues, with how many guard phones each has enrolled. */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse({ venues: await listVenues(deps.db) } satisfies VenuesResponse);
	});

/** Staff (admin): add a venue (name, region, kind, entry policy). Audited. */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'admin');
		const body = await readRequest(request, AddVenueRequestSchema, 4096);
		return jsonResponse((await addVenueFromConsole(deps, s.subject, body)) satisfies VenueDetail, { status: 201 });
	});
