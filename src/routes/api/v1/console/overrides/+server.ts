import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { proposeColourOverride } from '$lib/server/proposals/colour-override';
import { OverrideRequestSchema, type ActionOutcomeView } from '$lib/core/contract/proposals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: a manual colour decision for one person — always a proposal a second staff member approves (202). */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, OverrideRequestSchema, 4096);
		const out = await proposeColourOverride(deps, s.subject, {
			idType: body.idType,
			idNumber: body.idNumber,
			colour: body.colour,
			until: body.until,
			reasonCode: body.reasonCode,
			note: body.note
		});
		return jsonResponse(out satisfies ActionOutcomeView, { status: 202 });
	});
