import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { bearerToken } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { SOURCES, type Source } from '$lib/server/sources/kinds';
import { pushKind, pushRecords } from '$lib/server/sources/push';
import { requireSource } from '$lib/server/sources/sources';
import type { RequestHandler } from './$types';

export const prerender = false;

/** A data source pushes records of one kind (its API key as bearer). All or nothing; affected residents are recoloured. */
export const POST: RequestHandler = ({ request, params }) =>
	respond(async () => {
		const deps = await issuer();
		if (!(SOURCES as readonly string[]).includes(params.source))
			throw new DomainError('source/unknown', { detail: `Unknown source; one of ${SOURCES.join(', ')}` });
		const source = params.source as Source;
		const kind = pushKind(source, params.kind);
		const keyId = await requireSource(deps.db, deps.hmacKey, bearerToken(request), source);
		return jsonResponse(await pushRecords(deps, kind, await readJson(request, 4 * 1024 * 1024), `source/${source}/${keyId}`));
	});
