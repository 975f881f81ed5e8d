import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { bearerToken } from '$lib/server/http/guard';
import { readRequest } from '$lib/server/http/read-request';
import { ScanUploadRequestSchema, type ScanUploadResponse } from '$lib/core/contract/scanner';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { guardForToken } from '$lib/server/scans/guards';
import { ingestScans } from '$lib/server/scans/ingest';
import type { RequestHandler } from './$types';

export const prerender = false;

/** A guard device uploads a batch of its scan log: `{ events: [...] }` → `{ acks: [...], gaps: [...] }`. */
export const POST: RequestHandler = ({ request }) =>
	respond(async () => {
		const deps = await issuer();
		const device = await guardForToken(deps.db, deps.hmacKey, bearerToken(request));
		if (device === 'revoked') throw new DomainError('device/revoked');
		if (!device) throw new DomainError('auth/device');
		const body = await readRequest(request, ScanUploadRequestSchema, 1024 * 1024);
		return jsonResponse(
			(await ingestScans(deps.db, device, body.events, deps.clock(), undefined, deps.phoneKey)) satisfies ScanUploadResponse
		);
	});
