import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { addStaffAccount, listStaffAccounts } from '$lib/server/staff/staff-accounts';
import { AddStaffRequestSchema, type AddedStaff, type StaffListResponse } from '$lib/core/contract/console-people';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: the console's accounts with role, status and open sessions (never a password hash). */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		await requireRole(deps, request, cookies, 'staff');
		return jsonResponse({ staff: await listStaffAccounts(deps) } satisfies StaffListResponse);
	});

/** Staff (admin): add an account with a role; its first password is in the answer, once. Audited. */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'admin');
		const body = await readRequest(request, AddStaffRequestSchema, 2048);
		return jsonResponse((await addStaffAccount(deps, s.subject, body)) satisfies AddedStaff, { status: 201 });
	});
