import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { bearerToken } from '$lib/server/http/guard';
import { readJson } from '$lib/server/http/read-json';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { SOURCES, isSource } from '$lib/core/contract/import-kinds';
import type { PushResponse } from '$lib/core/contract/sources';
import { pushKind, pushRecords } from '$lib/server/sources/push';
import { requireSource } from '$lib/server/sources/sources';
import type { RequestHandler } from './$types';

export const prerender = false;

/** A data source pushes records of one kind (its API key as bearer). All or nothing; affected residents are recoloured. */
export const POST: RequestHandler = ({ request, params }) =>
	respond(async () => {
		const deps = await issuer();
		const source = params.source;
		if (!isSource(source)) throw new DomainError('source/unknown', { detail: `Unknown source; one of ${SOURCES.join(', ')}` });
		const kind = pushKind(source, params.kind);
		const keyId = await requireSource(deps.db, deps.hmacKey, bearerToken(request), source);
		return jsonResponse(
			(await pushRecords(deps, kind, await readJson(request, 4 * 1024 * 1024), `source/${source}/${keyId}`)) satisfies PushResponse
		);
	});
