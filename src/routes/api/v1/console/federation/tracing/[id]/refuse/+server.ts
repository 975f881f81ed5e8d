import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { requireRegionFed } from '$lib/server/federation/fact-exchange-deps';
import { refuseTracing } from '$lib/server/federation/tracing';
import { TracingDecisionSchema } from '$lib/core/contract/federation-facts';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: refuse another region's tracing request (audited; the asker hears the refusal). */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const session = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, TracingDecisionSchema);
		const note = typeof body.note === 'string' ? body.note : '';
		return jsonResponse(await refuseTracing(requireRegionFed(deps), session.subject, params.id, note));
	});
