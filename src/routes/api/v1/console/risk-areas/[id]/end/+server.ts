import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { parseRequest, readRequest } from '$lib/server/http/read-request';
import { EndRiskAreaRequestSchema, type AreaOutcome, type EndRiskAreaRequest } from '$lib/core/contract/console';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { endRiskArea } from '$lib/server/recolour/risk-areas';
import type { RequestHandler } from './$types';

export const prerender = false;

const UNTIL_FAIL = 'area/invalid';
const UNTIL_MESSAGES = { 'time/format': { 'zh-CN': '须为带时区的 ISO 8601 时间', en: 'an ISO 8601 time with a zone' } };

/** Staff: end a risk area now, or at `until` (ISO time); the residents it applied to are re-evaluated. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body: EndRiskAreaRequest =
			request.headers.get('content-length') === '0' || !request.headers.get('content-type')
				? {}
				: parseRequest(EndRiskAreaRequestSchema, await readRequest(request, EndRiskAreaRequestSchema, 2048), UNTIL_FAIL, UNTIL_MESSAGES);
		const until = body.until === undefined ? undefined : Date.parse(body.until);
		return jsonResponse((await endRiskArea(deps, params.id, `staff/${s.subject}`, until)) satisfies AreaOutcome);
	});
