import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { getActiveRules } from '$lib/server/recolour/rule-sets';
import { proposeRules } from '$lib/server/proposals/actions';
import type { ActiveRules } from '$lib/core/contract/console';
import type { ActionOutcomeView } from '$lib/core/contract/proposals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the active rule set (the built-in defaults until one is saved). */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await getActiveRules(deps)) satisfies ActiveRules);
	});

/**
 * Staff: publish a new rule-set version (validated) with a reason code (query `reasonCode`, `note`): everyone whose
 * colour changes is recoloured and audited — at once (200) or, above the approval threshold, once a second staff
 * member approves (202).
 */
export const PUT: RequestHandler = ({ request, cookies, url }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const reason = { reasonCode: url.searchParams.get('reasonCode') ?? undefined, note: url.searchParams.get('note') ?? undefined };
		const out = await proposeRules(deps, s.subject, await readJson(request), reason);
		return jsonResponse(out satisfies ActionOutcomeView, { status: out.proposal.status === 'pending' ? 202 : 200 });
	});
