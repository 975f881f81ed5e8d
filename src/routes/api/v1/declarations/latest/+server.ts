import { issuer } from '$lib/server/app';
import { phoneOfAccount } from '$lib/server/issuer/accounts';
import { requireResident } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { selfPerson } from '$lib/server/store/people';
import { latestDeclaration } from '$lib/server/store/declarations';
import type { LatestDeclaration } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const person = await selfPerson(deps.db, account.id);
		const d = person && (await latestDeclaration(deps.db, person.id));
		return jsonResponse({
			declaration: d ? { id: d.id, submittedAt: d.submitted_at, status: d.status, data: JSON.parse(d.data_json) as unknown } : null,
			accountPhone: await phoneOfAccount(deps, account.id)
		} satisfies LatestDeclaration);
	});
