import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { rejectLink } from '$lib/server/issuer/member-links';
import { RejectMemberLinkRequestSchema, type MemberLinkDecision } from '$lib/core/contract/console';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: reject a member request (an optional note is recorded; audited). */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, RejectMemberLinkRequestSchema, 4096);
		return jsonResponse((await rejectLink(deps, s.subject, params.id, body.note)) satisfies MemberLinkDecision);
	});
