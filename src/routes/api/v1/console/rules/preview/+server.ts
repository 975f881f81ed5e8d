import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { previewRules } from '$lib/server/recolour/rule-sets';
import type { RulesPreview } from '$lib/core/contract/console';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: validate a proposed rule set and count how many residents would change colour (nothing is saved). */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await previewRules(deps, await readJson(request))) satisfies RulesPreview);
	});
