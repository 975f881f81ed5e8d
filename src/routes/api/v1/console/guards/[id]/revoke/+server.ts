import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { revokeCredential } from '$lib/server/staff/credentials';
import type { Revoked } from '$lib/core/contract/console';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff (admin): revoke a guard device: its uploads are refused with `device/revoked` (its scanner says so), from the next request on. Attributed to the staff member. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff', 'admin');
		return jsonResponse((await revokeCredential(deps, 'guard', params.id, s.subject)) satisfies Revoked);
	});
