import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { proposeOverrideWithdrawal } from '$lib/server/proposals/colour-override';
import { WithdrawOverrideRequestSchema, type ActionOutcomeView } from '$lib/core/contract/proposals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: propose withdrawing a manual colour decision (itself a proposal: 202). */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, WithdrawOverrideRequestSchema, 4096);
		const out = await proposeOverrideWithdrawal(deps, s.subject, params.id, { reasonCode: body.reasonCode, note: body.note });
		return jsonResponse(out satisfies ActionOutcomeView, { status: 202 });
	});
