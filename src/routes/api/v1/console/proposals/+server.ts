import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { listProposals, thresholdOf } from '$lib/server/proposals/proposals';
import type { ProposalsResponse } from '$lib/core/contract/proposals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: proposals, newest first (`?status=pending` for those waiting), and the approval threshold. */
export const GET: RequestHandler = ({ request, cookies, url }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const status = url.searchParams.get('status') ?? undefined;
		return jsonResponse({
			proposals: await listProposals(deps, s.subject, status),
			threshold: thresholdOf(deps)
		} satisfies ProposalsResponse);
	});
