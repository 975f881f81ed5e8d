import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { tracingCases } from '$lib/server/tracing/trace';
import type { TracingCasesResponse } from '$lib/core/contract/tracing';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the newest confirmed case records (masked identity) with their default tracing windows. */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse({ cases: await tracingCases(deps) } satisfies TracingCasesResponse);
	});
