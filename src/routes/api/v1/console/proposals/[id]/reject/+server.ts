import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { rejectProposal } from '$lib/server/proposals/proposals';
import { RejectRequestSchema, type ActionOutcomeView } from '$lib/core/contract/proposals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff (approver or admin): reject a pending proposal (an urgent one in effect is undone); optional note. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'approver');
		const body = request.headers.get('content-type') ? await readRequest(request, RejectRequestSchema, 4096) : {};
		return jsonResponse((await rejectProposal(deps, params.id, s.subject, body)) satisfies ActionOutcomeView);
	});
