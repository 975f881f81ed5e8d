import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { approveLink } from '$lib/server/issuer/member-links';
import { ApproveMemberLinkRequestSchema, type MemberLinkDecision } from '$lib/core/contract/console';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: approve a member request with the evidence checked (required; recorded and audited). */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, ApproveMemberLinkRequestSchema, 4096);
		return jsonResponse((await approveLink(deps, s.subject, params.id, body.evidence)) satisfies MemberLinkDecision);
	});
