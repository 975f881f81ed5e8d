import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { mapLayers } from '$lib/server/map/map-layers';
import type { MapResponse } from '$lib/core/contract/console-map';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the region's geometry for the console map (districts, venues with today's scans, cells, risk areas, density), GeoJSON. */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await mapLayers(deps)) satisfies MapResponse);
	});
