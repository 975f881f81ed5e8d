import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { overrideForAppeal } from '$lib/server/appeals/resolve-appeal';
import { AppealOverrideRequestSchema, type AppealOutcomeView } from '$lib/core/contract/console-appeals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: answer an appeal with a colour override (a proposal a second officer approves). */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, AppealOverrideRequestSchema, 16_384);
		return jsonResponse((await overrideForAppeal(deps, s.subject, params.id, body)) satisfies AppealOutcomeView);
	});
