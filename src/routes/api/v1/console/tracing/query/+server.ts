import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { traceCase } from '$lib/server/tracing/trace';
import { TracingQueryRequestSchema, type TracingResult } from '$lib/core/contract/tracing';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: a case's co-visitors in a window, with the purpose of the query (required; audited as tracing.query). */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, TracingQueryRequestSchema, 4096);
		const out = await traceCase(deps, s.subject, { caseId: body.caseId, from: body.from, until: body.until, purpose: body.purpose });
		return jsonResponse(out satisfies TracingResult);
	});
