import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { markContacts } from '$lib/server/tracing/mark';
import { MarkContactsRequestSchema } from '$lib/core/contract/tracing';
import type { ActionOutcomeView } from '$lib/core/contract/proposals';
import type { RequestHandler } from './$types';

export const prerender = false;

/**
 * Staff: mark people as close or secondary contacts of a case, with a reason code — applied through the normal
 * recolour path at once (200) or, above the approval threshold, once a second staff member approves (202).
 */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, MarkContactsRequestSchema, 128 * 1024);
		const out = await markContacts(deps, s.subject, {
			caseId: body.caseId,
			kind: body.kind,
			people: body.people,
			reasonCode: body.reasonCode,
			note: body.note
		});
		return jsonResponse(out satisfies ActionOutcomeView, { status: out.proposal.status === 'pending' ? 202 : 200 });
	});
