import { issuer } from '$lib/server/app';
import { ApiError } from '$lib/server/http/api-error';
import { respond } from '$lib/server/http/respond';
import { statusListDocument } from '$lib/server/issuer/status';
import { REGION_PARAM_RE, SINCE_PARAM_RE } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

/** The region's signed status list: full, or a delta with ?since=SEQ (docs/code-format.md §6). */
export const GET: RequestHandler = ({ params, url }) =>
	respond(async () => {
		const deps = await issuer();
		if (!REGION_PARAM_RE.test(params.region))
			throw new ApiError(400, 'status/region', 'Region must be a six-digit code / 地区代码应为 6 位数字');
		const sinceText = url.searchParams.get('since');
		if (sinceText !== null && !SINCE_PARAM_RE.test(sinceText))
			throw new ApiError(400, 'status/since', 'since must be a sequence number / since 须为序号');
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
