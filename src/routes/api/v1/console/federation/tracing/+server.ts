import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { requireRegionFed } from '$lib/server/federation/fact-exchange-deps';
import { requestTracing, tracingList } from '$lib/server/federation/tracing';
import { TracingRequestSchema, type TracingListResponse } from '$lib/core/contract/federation-facts';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: cross-region tracing requests this region asked and received, newest first. */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse({ requests: await tracingList({ deps }) } satisfies TracingListResponse);
	});

/** Staff: ask another region (through the gateway) for the co-visitors of a case's visits to its venues. */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const session = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, TracingRequestSchema);
		return jsonResponse(await requestTracing(requireRegionFed(deps), session.subject, body), { status: 201 });
	});
