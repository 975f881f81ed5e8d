import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { rejectAppeal } from '$lib/server/appeals/resolve-appeal';
import { RejectAppealRequestSchema, type AppealOutcomeView } from '$lib/core/contract/console-appeals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: reject an appeal with the reason the resident reads. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, RejectAppealRequestSchema, 16_384);
		return jsonResponse((await rejectAppeal(deps, s.subject, params.id, body)) satisfies AppealOutcomeView);
	});
