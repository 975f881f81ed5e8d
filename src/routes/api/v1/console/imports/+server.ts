import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { proposeImport } from '$lib/server/proposals/actions';
import type { ActionOutcomeView } from '$lib/core/contract/proposals';
import type { RequestHandler } from './$types';

export const prerender = false;

/**
 * Staff upload a source file (CSV / JSON / NDJSON body) with a reason code (query); all or nothing. Recolouring no
 * more than the approval threshold it is imported at once (200); otherwise it waits for a second staff member (202).
 */
export const POST: RequestHandler = ({ request, cookies, url }) =>
	respond(async () => {
		const deps = await issuer();
		const session = await requireRole(deps, request, cookies, 'staff');
		const out = await proposeImport(deps, session.subject, request, url);
		return jsonResponse(out satisfies ActionOutcomeView, { status: out.proposal.status === 'pending' ? 202 : 200 });
	});
