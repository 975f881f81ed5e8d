import { issuer } from '$lib/server/app';
import { submitDeclaration } from '$lib/server/issuer/declare';
import { requireResident } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import type { DeclarationOutcome } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Submit a declaration: 201 verified (with colour), 202 pending (a source is down), 422 field errors or identity mismatch. */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		const outcome = await submitDeclaration(deps, account, await readJson(request, 16 * 1024));
		return jsonResponse(outcome satisfies DeclarationOutcome, { status: outcome.status === 'pending' ? 202 : 201 });
	});
