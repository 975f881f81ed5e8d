import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { listRiskAreas } from '$lib/server/recolour/risk-areas';
import { withPlaces } from '$lib/server/map/area-place';
import { proposeRiskArea } from '$lib/server/proposals/actions';
import type { RiskAreasResponse } from '$lib/core/contract/console';
import type { ActionOutcomeView } from '$lib/core/contract/proposals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the risk areas (newest first), each with where it is (district, centre, area). */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse({ areas: await withPlaces(deps, await listRiskAreas(deps)) } satisfies RiskAreasResponse);
	});

/**
 * Staff: mark a risk area with a reason code. Recolouring no more than the approval threshold, it applies at once
 * (201: the residents who were in it during its window are recoloured); otherwise it is a proposal a second staff
 * member approves (202), or, marked urgent, applies at once and lapses unless approved in time.
 */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const out = await proposeRiskArea(deps, s.subject, await readJson(request, 1024 * 1024));
		return jsonResponse(out satisfies ActionOutcomeView, { status: out.proposal.status === 'applied' ? 201 : 202 });
	});
