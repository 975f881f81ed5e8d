import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { requireResident } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { listAppeals } from '$lib/server/issuer/appeals';
import type { Appeal } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

export const GET: RequestHandler = ({ request, cookies, params }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const appeal = (await listAppeals(deps, account.id)).find((a) => a.id === params.id);
		if (!appeal) throw new DomainError('appeal/not-found');
		return jsonResponse(appeal satisfies Appeal);
	});
