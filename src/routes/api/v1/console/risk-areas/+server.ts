import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { createRiskArea, listRiskAreas } from '$lib/server/recolour/risk-areas';
import type { AreaOutcome, RiskAreasResponse } from '$lib/core/contract/console';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the risk areas (newest first). */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse({ areas: await listRiskAreas(deps) } satisfies RiskAreasResponse);
	});

/** Staff: mark a risk area; the residents who were in it during its window are recoloured. */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await createRiskArea(deps, await readJson(request, 1024 * 1024), `staff/${s.subject}`)) satisfies AreaOutcome, {
			status: 201
		});
	});
