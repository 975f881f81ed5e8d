import { issuer } from '$lib/server/app';
import { requireResident } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { addMember } from '$lib/server/issuer/members';
import { membersOfAccount } from '$lib/server/store/people';
import type { AddMemberResponse, MembersResponse } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const rows = await membersOfAccount(deps.db, account.id);
		return jsonResponse({
			members: rows.map((r) => ({ personId: r.id, maskedName: r.name_masked, idMasked: r.id_masked, addedAt: r.created_at })),
			max: deps.config.maxMembers
		} satisfies MembersResponse);
	});

/** Add a member with name, ID number and consent evidence: 201, 422 field errors, 409 cap reached. */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		return jsonResponse((await addMember(deps, account.id, await readJson(request, 4096))) satisfies AddMemberResponse, { status: 201 });
	});
