import { issuer } from '$lib/server/app';
import { requireResident } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { listAppeals, submitAppeal } from '$lib/server/issuer/appeals';
import type { Appeal, AppealsResponse } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		return jsonResponse({ appeals: await listAppeals(deps, account.id) } satisfies AppealsResponse);
	});

export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		return jsonResponse((await submitAppeal(deps, account.id, await readJson(request, 8192))) satisfies Appeal, { status: 201 });
	});
