import { issuer } from '$lib/server/app';
import { requireResident } from '$lib/server/http/guard';
import { respond } from '$lib/server/http/respond';
import { withdrawLink } from '$lib/server/issuer/member-links';
import type { RequestHandler } from './$types';

export const prerender = false;

/** The adder withdraws a pending member request (204). */
export const DELETE: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		await withdrawLink(deps, account.id, params.id);
		return new Response(null, { status: 204 });
	});
