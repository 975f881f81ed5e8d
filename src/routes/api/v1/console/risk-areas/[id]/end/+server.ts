import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { requireRole } from '$lib/server/http/guard';
import { expectObject, readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { endRiskArea } from '$lib/server/recolour/risk-areas';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: end a risk area now, or at `until` (ISO time); the residents it applied to are re-evaluated. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body =
			request.headers.get('content-length') === '0' || !request.headers.get('content-type')
				? {}
				: expectObject(await readJson(request, 2048), ['until']);
		let until: number | undefined;
		if (body.until !== undefined) {
			until = typeof body.until === 'string' && /(Z|[+-]\d{2}:\d{2})$/.test(body.until) ? Date.parse(body.until) : NaN;
			if (Number.isNaN(until))
				throw new DomainError('area/invalid', {
					errors: [
						{ field: 'until', code: 'time/format', message: { 'zh-CN': '须为带时区的 ISO 8601 时间', en: 'an ISO 8601 time with a zone' } }
					]
				});
		}
		return jsonResponse(await endRiskArea(deps, params.id, `staff/${s.subject}`, until));
	});
