import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { requireResident } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { colourHistory } from '$lib/server/issuer/history';
import { personOfAccount } from '$lib/server/store/people';
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
		const person = await personOfAccount(deps.db, account.id, personId);
		if (!person) throw new DomainError('person/not-found');
		const history = (await colourHistory(deps.db, person.id)).map((h) => ({ ...h, colour: toColour(h.colour) }));
		return jsonResponse({ personId: person.id, history } satisfies HistoryResponse);
	});
