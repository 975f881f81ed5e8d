import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { disableStaffAccount } from '$lib/server/staff/staff-accounts';
import type { DisabledStaff } from '$lib/core/contract/console-people';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff (admin): disable another account; its sessions end at once (an open tab is refused with staff/disabled). Audited. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'admin');
		return jsonResponse((await disableStaffAccount(deps, s.subject, params.username)) satisfies DisabledStaff);
	});
