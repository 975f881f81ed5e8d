import { issuer } from '$lib/server/app';
import { recordStaffAction } from '$lib/server/audit/record-staff-action';
import { staffActor } from '$lib/server/audit/staff-actor';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { revokeCredential } from '$lib/server/staff/credentials';
import type { Revoked } from '$lib/core/contract/console';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: revoke a guard device: its uploads are refused with `device/revoked` (its scanner says so), from the next request on. Attributed to the staff member. */
export const POST: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const out = await revokeCredential(deps, 'guard', params.id, s.subject);
		await recordStaffAction(deps.db, {
			actor: await staffActor(deps.db, s.subject),
			action: 'guard.revoke',
			target: params.id,
			at: out.revokedAt
		});
		return jsonResponse(out satisfies Revoked);
	});
