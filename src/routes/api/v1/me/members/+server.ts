import { issuer } from '$lib/server/app';
import { requireResident } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { clientAddress, trustedProxies } from '$lib/server/http/client-address';
import { addMember } from '$lib/server/issuer/members';
import { pendingOf } from '$lib/server/issuer/member-links';
import { membersOfAccount } from '$lib/server/store/people';
import type { AddMemberResponse, MembersResponse } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

/** The account's confirmed members and its pending requests (nothing of a pending member's colour). */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const rows = await membersOfAccount(deps.db, account.id);
		return jsonResponse({
			members: rows.map((r) => ({ personId: r.id, maskedName: r.name_masked, idMasked: r.id_masked, addedAt: r.created_at })),
			pending: await pendingOf(deps, account.id),
			max: deps.config.maxMembers
		} satisfies MembersResponse);
	});

/**
 * Ask to link a member, with the evidence that will confirm it: 202 pending (the same answer whether or not the ID
 * is registered or held by others), 201 when the household register confirms it at once; 422 field errors,
 * 409 cap reached, 429 rate-limited.
 */
export const POST: RequestHandler = ({ request, cookies, getClientAddress }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const ip = clientAddress(getClientAddress(), request.headers.get('x-forwarded-for'), trustedProxies());
		const out = await addMember(deps, account.id, await readJson(request, 4096), ip);
		return jsonResponse(out satisfies AddMemberResponse, { status: out.status === 'confirmed' ? 201 : 202 });
	});
