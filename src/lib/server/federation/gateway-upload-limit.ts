/**
 * Per-region rate limits on the gateway's upload routes (issue 14): key lists, status documents, fact batches and
 * registrations. Counted per *authenticated* region — after the upload's signature has been checked against the
 * region's certificate — so nobody can spend another region's budget by posting junk under its code; a forger's
 * request costs one signature check and is refused before it is counted.
 *
 * The budgets are far above what the jobs send (schedule-federation.ts publishes at most one key list and one
 * status document per interval; the fact exchange sends at most 20 batches of 1 000 facts per 5 s run), so only a
 * runaway or hostile region meets them. Over the budget: 429 `gateway/rate-limited` with Retry-After (the end of
 * the window); a region's transport treats 429 like "unavailable" and retries with backoff.
 */
import { DomainError } from '../domain-error.js';
import type { Store } from '../store/db.js';
import { hit } from '../store/rate-limit.js';

export type GatewayUpload = 'key-list' | 'status' | 'fact-batch' | 'registrations';

export const GATEWAY_UPLOAD_WINDOW_MS = 60_000;
/** Uploads per region per minute, by kind. */
export const GATEWAY_UPLOAD_LIMITS: Record<GatewayUpload, number> = {
	'key-list': 30,
	status: 120,
	'fact-batch': 600,
	registrations: 60
};

/** Counts one upload of `kind` by `region` (already authenticated); throws gateway/rate-limited over the budget. */
export async function spendUploadBudget(db: Store, region: string, kind: GatewayUpload, nowMs: number): Promise<void> {
	const limit = GATEWAY_UPLOAD_LIMITS[kind];
	const r = await hit(db, `gateway:${kind}:${region}`, GATEWAY_UPLOAD_WINDOW_MS, limit, Math.floor(nowMs));
	if (!r.allowed)
		throw new DomainError('gateway/rate-limited', {
			params: { limit },
			retryAfterSeconds: Math.max(1, Math.ceil(r.retryAfterMs / 1000)),
			detail: `region ${region}: more than ${limit} ${kind} uploads in ${GATEWAY_UPLOAD_WINDOW_MS / 1000} s`
		});
}
