import { issuer } from '$lib/server/app';
import { requireResident } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { paperCode } from '$lib/server/issuer/paper-code';
import type { PaperCode } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

/** A printable paper code for the holder (default) or a member ({ personId }). */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const account = await requireResident(deps, request, cookies);
		return jsonResponse((await paperCode(deps, account.id, await readJson(request, 1024))) satisfies PaperCode, {
			status: 201,
			headers: { 'cache-control': 'no-store' }
		});
	});
