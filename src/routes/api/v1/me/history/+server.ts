import { issuer } from '$lib/server/app';
import { ApiError } from '$lib/server/http/api-error';
import { requireResident } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { colourHistory } from '$lib/server/issuer/history';
import { toColour } from '$lib/core/contract/shared';
import type { HistoryResponse } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Colour history with reasons for the holder (default) or one of their members (?personId=). */
export const GET: RequestHandler = ({ request, cookies, url }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const personId = url.searchParams.get('personId');
		let q = deps.db.selectFrom('people').select('id').where('account_id', '=', account.id).where('removed_at', 'is', null);
		q = personId ? q.where('id', '=', personId) : q.where('relation', '=', 'self');
		const person = await q.executeTakeFirst();
		if (!person) throw new ApiError(404, 'person/not-found', 'No such person on this account / 本账户无此人');
		const history = (await colourHistory(deps.db, person.id)).map((h) => ({ ...h, colour: toColour(h.colour) }));
		return jsonResponse({ personId: person.id, history } satisfies HistoryResponse);
	});
