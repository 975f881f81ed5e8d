import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { getProposal } from '$lib/server/proposals/proposals';
import type { ProposalDetail } from '$lib/core/contract/proposals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: one proposal with its preview, reason, proposer and audit trail. */
export const GET: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await getProposal(deps, params.id, s.subject)) satisfies ProposalDetail);
	});
