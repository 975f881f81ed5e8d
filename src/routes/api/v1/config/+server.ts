import { issuer } from '$lib/server/app';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { readRootPublicKey } from '$lib/server/keys/published';
import { STATUS_LIST_MAX_AGE_SECONDS, TRUST_LIST_MAX_AGE_SECONDS } from '$lib/server/keys/published';
import { toBase64Url } from '$lib/core/bytes';
import type { ConfigResponse } from '$lib/core/contract/resident';
import type { RequestHandler } from './$types';

export const prerender = false;

/**
 * What the apps pin at install: the national root public key and this issuer's region. A production build
 * would compile the root key in; the demo generates it on first start, so it is served here.
 */
export const GET: RequestHandler = () =>
	respond(async () => {
		const deps = await issuer();
		const root = readRootPublicKey(deps.dataDir);
		return jsonResponse(
			{
				region: deps.config.region,
				rootPublicKey: root ? toBase64Url(root) : null,
				trustListMaxAgeSeconds: TRUST_LIST_MAX_AGE_SECONDS,
				statusListMaxAgeSeconds: STATUS_LIST_MAX_AGE_SECONDS,
				demo: deps.config.demo
			} satisfies ConfigResponse,
			{ headers: { 'cache-control': 'public, max-age=300' } }
		);
	});
