import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { getActiveRules, saveRules } from '$lib/server/recolour/rule-sets';
import type { ActiveRules, SavedRules } from '$lib/core/contract/console';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the active rule set (the built-in defaults until one is saved). */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await getActiveRules(deps)) satisfies ActiveRules);
	});

/** Staff: save a new rule-set version (validated); everyone whose colour changes is recoloured and audited. */
export const PUT: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await saveRules(deps, await readJson(request), `staff/${s.subject}`)) satisfies SavedRules);
	});
