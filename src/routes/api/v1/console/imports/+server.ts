import { issuer } from '$lib/server/app';
import { requireRole } from '$lib/server/http/guard';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { consoleImport } from '$lib/server/sources/console-import';
import type { ImportResult } from '$lib/core/contract/console';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Staff upload a source file (CSV / JSON / NDJSON body, streamed); all or nothing, then affected residents are recoloured. */
export const POST: RequestHandler = ({ request, cookies, url }) =>
	respond(async () => {
		const deps = await issuer();
		const session = await requireRole(deps, request, cookies, 'staff');
		return jsonResponse((await consoleImport(deps, request, url, session.subject)) satisfies ImportResult);
	});
