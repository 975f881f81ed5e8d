import { parseIsoTime } from '$lib/core/iso-time';
import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { parseRequest, readRequest } from '$lib/server/http/read-request';
import { EndRiskAreaRequestSchema, type EndRiskAreaRequest } from '$lib/core/contract/console';
import type { ActionOutcomeView } from '$lib/core/contract/proposals';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { proposeEndRiskArea } from '$lib/server/proposals/actions';
import type { RequestHandler } from './$types';

export const prerender = false;

const UNTIL_FAIL = 'area/invalid';
const UNTIL_MESSAGES = { 'time/format': { 'zh-CN': '须为带时区的 ISO 8601 时间', en: 'an ISO 8601 time with a zone' } };

/**
 * Staff: end a risk area now, or at `until` (ISO time), with a reason code; the residents it applied to are
 * re-evaluated — at once (200) or, above the approval threshold, once a second staff member approves (202).
 */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body: EndRiskAreaRequest =
			request.headers.get('content-length') === '0' || !request.headers.get('content-type')
				? {}
				: parseRequest(EndRiskAreaRequestSchema, await readRequest(request, EndRiskAreaRequestSchema, 2048), UNTIL_FAIL, UNTIL_MESSAGES);
		const until = body.until === undefined ? deps.clock() : parseIsoTime(body.until);
		const out = await proposeEndRiskArea(deps, s.subject, params.id, until, { reasonCode: body.reasonCode, note: body.note });
		return jsonResponse(out satisfies ActionOutcomeView, { status: out.proposal.status === 'pending' ? 202 : 200 });
	});
