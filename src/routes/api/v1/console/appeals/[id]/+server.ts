import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { appealDetail } from '$lib/server/appeals/resolve-appeal';
import type { AppealDetail } from '$lib/core/contract/console-appeals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: one appeal with the person's reasons and facts (masked; audited as appeal.view). */
export const GET: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await appealDetail(deps, s.subject, params.id)) satisfies AppealDetail);
	});
