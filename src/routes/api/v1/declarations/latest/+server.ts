import { issuer } from '$lib/server/app';
import { ApiError } from '$lib/server/http/api-error';
import { requireResident } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { selfPerson } from '$lib/server/issuer/people';
import type { LatestDeclaration } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const person = await selfPerson(deps.db, account.id);
		const d =
			person &&
			(await deps.db
				.selectFrom('declarations')
				.selectAll()
				.where('person_id', '=', person.id)
				.orderBy('submitted_at', 'desc')
				.executeTakeFirst());
		if (!d) throw new ApiError(404, 'declaration/none', 'No declaration yet / 尚未申报');
		return jsonResponse({
			id: d.id,
			submittedAt: d.submitted_at,
			status: d.status,
			data: JSON.parse(d.data_json) as unknown
		} satisfies LatestDeclaration);
	});
