import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { respond } from '$lib/server/http/respond';
import { statusListDocument } from '$lib/server/issuer/status';
import { REGION_PARAM_RE, SINCE_PARAM_RE } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

/** The region's signed status list: full, or a delta with ?since=SEQ (docs/code-format.md §6). */
export const GET: RequestHandler = ({ params, url }) =>
	respond(async () => {
		const deps = await issuer();
		if (!REGION_PARAM_RE.test(params.region)) throw new DomainError('status/region');
		const sinceText = url.searchParams.get('since');
		if (sinceText !== null && !SINCE_PARAM_RE.test(sinceText)) throw new DomainError('status/since');
		const { bytes, seq } = await statusListDocument(
			deps.db,
			deps.keys,
			params.region,
			deps.clock(),
			sinceText === null ? undefined : Number(sinceText)
		);
		return new Response(new Uint8Array(bytes), {
			headers: { 'content-type': 'application/cose', 'cache-control': 'no-cache', 'x-status-seq': String(seq) }
		});
	});
