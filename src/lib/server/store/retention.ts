/**
 * Data retention: location and scan history are kept for the retention period (21 days by default) and then
 * deleted; spent one-time codes and expired sessions are removed. Run it periodically (any instance may: each
 * statement is an idempotent delete by time).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema';
import { purgeExpiredStatusEntries } from './status-list.js';
import { purgeFederation } from './federation-facts.js';

export const DAY_MS = 86_400_000;
export const DEFAULT_RETENTION_DAYS = 21;
/** How long a spent or expired one-time code is kept (e.g. for per-phone rate limits and abuse review). */
export const OTP_KEEP_MS = DAY_MS;

export interface PurgeOptions {
	retentionDays?: number;
}

export interface PurgeCounts {
	trajectoryPoints: number;
	scanEvents: number;
	otpChallenges: number;
	sessions: number;
	statusEntries: number;
}

/**
 * Deletes, as of `nowMs`:
 * - trajectory points older than the retention period (`at` < now − retention);
 * - scan events older than the retention period by either clock: the device's `scanned_at` or the server's
 *   `received_at` (a guard device with a clock running ahead must not keep its events longer);
 * - one-time-code challenges created more than a day ago that were used or have expired;
 * - sessions that have expired (expires_at ≤ now);
 * - status-list entries of codes expired more than an hour ago (status-list.ts);
 * - the fact exchange's delivered, received and acknowledged rows (federation-facts.ts purgeFederation).
 * Returns how many rows went from each table.
 */
export async function purgeExpired(db: Kysely<Database>, nowMs: number, options: PurgeOptions = {}): Promise<PurgeCounts> {
	const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
	if (!(retentionDays >= 0) || !Number.isFinite(retentionDays)) throw new RangeError(`retentionDays must be ≥ 0: ${retentionDays}`);
	const cutoff = nowMs - Math.round(retentionDays * DAY_MS);
	const otpCutoff = nowMs - OTP_KEEP_MS;

	const trajectory = await db.deleteFrom('trajectory_points').where('at', '<', cutoff).executeTakeFirst();
	await db.deleteFrom('venue_visits').where('at', '<', cutoff).execute();
	const scans = await db
		.deleteFrom('scan_events')
		.where((eb) => eb.or([eb('scanned_at', '<', cutoff), eb('received_at', '<', cutoff)]))
		.executeTakeFirst();
	const otp = await db
		.deleteFrom('otp_challenges')
		.where('created_at', '<', otpCutoff)
		.where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<', nowMs)]))
		.executeTakeFirst();
	const sessions = await db.deleteFrom('sessions').where('expires_at', '<=', nowMs).executeTakeFirst();
	const statusEntries = await purgeExpiredStatusEntries(db, nowMs);
	// federation (migration 022): delivered, received and acknowledged facts after the same retention period
	await purgeFederation(db, cutoff);

	return {
		trajectoryPoints: Number(trajectory.numDeletedRows),
		scanEvents: Number(scans.numDeletedRows),
		otpChallenges: Number(otp.numDeletedRows),
		sessions: Number(sessions.numDeletedRows),
		statusEntries
	};
}
