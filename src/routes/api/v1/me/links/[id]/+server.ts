import { issuer } from '$lib/server/app';
import { requireResident } from '$lib/server/http/guard';
import { respond } from '$lib/server/http/respond';
import { removeLinkToMe } from '$lib/server/issuer/member-links';
import type { RequestHandler } from './$types';

export const prerender = false;

/** The person removes someone's link to them (204); the codes that account held for them are revoked. */
export const DELETE: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		await removeLinkToMe(deps, account.id, params.id);
		return new Response(null, { status: 204 });
	});
