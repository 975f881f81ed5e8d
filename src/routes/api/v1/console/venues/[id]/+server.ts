import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { editVenue } from '$lib/server/staff/devices';
import { EditVenueRequestSchema, type VenueDetail } from '$lib/core/contract/console-people';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff (admin): change a venue's name, kind and entry policy (phones enrolled before keep the policy in their code). Audited. */
export const PUT: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'admin');
		const body = await readRequest(request, EditVenueRequestSchema, 4096);
		return jsonResponse((await editVenue(deps, s.subject, params.id, body)) satisfies VenueDetail);
	});
