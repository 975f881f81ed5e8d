import { issuer } from '$lib/server/app';
import { requireResident } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { linksToMe } from '$lib/server/issuer/member-links';
import type { LinksToMeResponse } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Who holds (or asks for) a link to the signed-in person. */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		return jsonResponse({ links: await linksToMe(deps, account.id) } satisfies LinksToMeResponse);
	});
