import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { listAppealQueue } from '$lib/server/appeals/resolve-appeal';
import type { AppealQueue } from '$lib/core/contract/console-appeals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the appeal queue (?status= open | in-review | upheld | rejected). */
export const GET: RequestHandler = ({ request, cookies, url }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await listAppealQueue(deps, url.searchParams.get('status') || null)) satisfies AppealQueue);
	});
