import { issuer } from '$lib/server/app';
import { auditPage, readAuditRequest } from '$lib/server/audit/audit-log';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import type { AuditPage } from '$lib/core/contract/console-overview';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: one page of the unified audit, newest first, filtered by actor, action, person hash, time and source. */
export const GET: RequestHandler = ({ request, cookies, url }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await auditPage(deps.db, readAuditRequest(url.searchParams))) satisfies AuditPage);
	});
