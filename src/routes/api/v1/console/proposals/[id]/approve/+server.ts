import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { approveProposal } from '$lib/server/proposals/proposals';
import type { ActionOutcomeView } from '$lib/core/contract/proposals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff (approver or admin): approve a pending proposal (not one's own: 403 proposal/own); re-checked, then applied. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'approver');
		return jsonResponse((await approveProposal(deps, params.id, s.subject)) satisfies ActionOutcomeView);
	});
