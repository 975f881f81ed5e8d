import { issuer } from '$lib/server/app';
import { requireResident } from '$lib/server/http/guard';
import { respond } from '$lib/server/http/respond';
import { removeMember } from '$lib/server/issuer/members';
import type { RequestHandler } from './$types';

export const prerender = false;

export const DELETE: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		await removeMember(deps, account.id, params.id);
		return new Response(null, { status: 204 });
	});
