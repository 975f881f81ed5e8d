/**
 * Fixed-window rate limiting in the database, so every app instance counts against the same rows.
 *
 * One statement per hit — `INSERT … ON CONFLICT (bucket, window_start) DO UPDATE SET count = count + 1
 * RETURNING count` — so concurrent hits from any number of connections or processes each see a distinct count
 * (SQLite ≥ 3.35 and PostgreSQL both support UPSERT … RETURNING). No read-then-write, no transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema';

export interface RateLimitResult {
	/** count ≤ limit */
	allowed: boolean;
	/** hits in this window, including this one */
	count: number;
	/** 0 when allowed; otherwise ms until the window ends */
	retryAfterMs: number;
}

/**
 * Counts one hit on `bucket` (e.g. `otp:phone:<hmac>`, `login:ip:<ip>`) in the fixed window of `windowMs`
 * that contains `nowMs`. Hits over the limit are counted too (a client that keeps hammering stays blocked for
 * the window).
 */
export async function hit(db: Kysely<Database>, bucket: string, windowMs: number, limit: number, nowMs: number): Promise<RateLimitResult> {
	if (!Number.isSafeInteger(windowMs) || windowMs <= 0) throw new RangeError(`windowMs must be a positive integer: ${windowMs}`);
	if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer: ${limit}`);
	if (!Number.isSafeInteger(nowMs) || nowMs < 0) throw new RangeError(`nowMs must be a non-negative integer: ${nowMs}`);
	const windowStart = nowMs - (nowMs % windowMs);
	const row = await db
		.insertInto('rate_limits')
		.values({ bucket, window_start: windowStart, count: 1 })
		.onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ count: eb('rate_limits.count', '+', 1) })))
		.returning('count')
		.executeTakeFirstOrThrow();
	const count = Number(row.count);
	const allowed = count <= limit;
	return { allowed, count, retryAfterMs: allowed ? 0 : windowStart + windowMs - nowMs };
}

/** The hits counted so far in the window of `bucket` that starts at `windowStart` (0: none). */
export async function windowCount(db: Kysely<Database>, bucket: string, windowStart: number): Promise<number> {
	const row = await db
		.selectFrom('rate_limits')
		.select('count')
		.where('bucket', '=', bucket)
		.where('window_start', '=', windowStart)
		.executeTakeFirst();
	return Number(row?.count ?? 0);
}

/** Deletes the windows that started before `olderThanMs` (pass now − the longest window in use). Returns how many. */
export async function purgeRateLimits(db: Kysely<Database>, olderThanMs: number): Promise<number> {
	const result = await db.deleteFrom('rate_limits').where('window_start', '<', olderThanMs).executeTakeFirst();
	return Number(result.numDeletedRows);
}
