/**
 * The national bundle as an HTTP answer (the gateway's /api/v1/gateway/trust and a region's mirror at
 * /.well-known/tongxing/trust-bundle): `?have=REGION:SEQ,…` (status seqs held) and `?keys=REGION:VERSION,…`
 * (key-list versions held) select per-region deltas. Not cacheable by shared caches with the query (it varies per
 * caller); the query-less full bundle is what a CDN serves (docs/federation.md).
 */
import type { IssuerDeps } from '../deps.js';
import { federationContext } from './federation-context.js';
import { nationalBundle, parseVersions } from './gateway-trust.js';
import { TRUST_BUNDLE_CONTENT_TYPE } from '../../core/federation/trust-bundle.js';

export async function bundleResponse(deps: Pick<IssuerDeps, 'db' | 'dataDir' | 'clock'>, url: URL): Promise<Response> {
	const have = parseVersions(url.searchParams.get('have'), 'have');
	const keys = parseVersions(url.searchParams.get('keys'), 'keys');
	const bytes = await nationalBundle(federationContext(deps), have, keys);
	const shared = !url.searchParams.has('have') && !url.searchParams.has('keys');
	return new Response(new Uint8Array(bytes), {
		headers: {
			'content-type': TRUST_BUNDLE_CONTENT_TYPE,
			'cache-control': shared ? 'public, max-age=60, must-revalidate' : 'no-cache',
			'x-bundle-bytes': String(bytes.length)
		}
	});
}
