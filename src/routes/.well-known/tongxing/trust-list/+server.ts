import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { respond } from '$lib/server/http/respond';
import { trustListPath } from '$lib/server/keys/published';
import type { RequestHandler } from './$types';

export const prerender = false;

/** The root-signed trust list (COSE_Sign1, docs/code-format.md §5). Cacheable; scanners revalidate with ETag. */
export const GET: RequestHandler = ({ request }) =>
	respond(async () => {
		const deps = await issuer();
		let bytes: Uint8Array;
		try {
			bytes = await readFile(trustListPath(deps.dataDir));
		} catch {
			throw new DomainError('trust-list/unavailable', { retryAfterSeconds: 60 });
		}
		const etag = '"' + createHash('sha256').update(bytes).digest('base64url').slice(0, 27) + '"';
		const headers = { etag, 'cache-control': 'public, max-age=300, must-revalidate', 'content-type': 'application/cose' };
		if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
		return new Response(new Uint8Array(bytes), { headers });
	});
