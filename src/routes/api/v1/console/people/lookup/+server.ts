import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { lookUpPerson } from '$lib/server/appeals/person-lookup';
import { PersonLookupRequestSchema, type PersonLookupResponse } from '$lib/core/contract/console-appeals';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff: a person by ID number or phone — exact match, purpose required, audited (person.lookup). POST: the ID is never in a URL. */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const body = await readRequest(request, PersonLookupRequestSchema, 4096);
		return jsonResponse((await lookUpPerson(deps, s.subject, body)) satisfies PersonLookupResponse);
	});
