import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { changeStaffRole } from '$lib/server/staff/staff-accounts';
import { ChangeRoleRequestSchema, type StaffAccount } from '$lib/core/contract/console-people';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff (admin): change another account's role; it applies from that member's next request. Audited. */
export const PUT: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'admin');
		const body = await readRequest(request, ChangeRoleRequestSchema, 1024);
		return jsonResponse((await changeStaffRole(deps, s.subject, params.username, body.role)) satisfies StaffAccount);
	});
