/**
 * The console overview's aggregates (migration 026). Writers append deltas in their own transaction
 * (`addOverviewDeltas`: a colour change, a batch of scans, status-list entries, an import); a job folds them into
 * overview_counts (`foldOverviewDeltas`); a read sums both tables (`overviewCounts`), so it reads a few hundred
 * small rows however many residents, scans or codes there are. The few other numbers the overview shows are
 * index-range reads of small sets (pending proposals and appeals, the guard devices' newest scan).
 */
import { sql, type Kysely } from 'kysely';
import type { Db, Store } from './db.js';
import { rebuildOverviewCounts } from './migrations/026-overview.js';

export const HOUR_MS = 3_600_000;

/** Overview metrics: bucket 0 holds a "now" total, otherwise the hour start (ms). */
export type OverviewMetric =
	/** residents per colour now (bucket 0) */
	| 'colour'
	/** net change of residents per colour during the hour */
	| 'colour.net'
	/** colour changes during the hour, by rule reason (`none`: back to green with no reason) */
	| 'recolour'
	/** scans made (device clock) during the hour, by venue */
	| 'scan'
	/** scans made during the hour, by the verdict the scanner showed */
	| 'verdict'
	/** status-list entries stored now, by region (bucket 0) */
	| 'status'
	/** records imported during the hour, by kind */
	| 'import'
	/** import runs (files or pushes) during the hour, by kind */
	| 'import.runs';

export interface OverviewDelta {
	metric: OverviewMetric;
	bucket: number;
	key: string;
	n: number;
}

export const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/** Adds deltas (same (metric, bucket, key) summed first); call it with the writer's transaction. */
export async function addOverviewDeltas(db: Db, deltas: readonly OverviewDelta[]): Promise<void> {
	const sums = new Map<string, OverviewDelta>();
	for (const d of deltas) {
		const k = `${d.metric}\u0000${d.bucket}\u0000${d.key}`;
		const s = sums.get(k);
		if (s) s.n += d.n;
		else sums.set(k, { ...d });
	}
	const rows = [...sums.values()].filter((d) => d.n !== 0);
	// 4 parameters a row: 500 rows stay under SQLite's 32 766 variables
	for (let i = 0; i < rows.length; i += 500)
		await db
			.insertInto('overview_deltas')
			.values(rows.slice(i, i + 500))
			.execute();
}

/** Hourly buckets older than this are dropped by the fold (the overview shows the last day; a week is kept). */
export const OVERVIEW_KEEP_MS = 7 * 24 * HOUR_MS;

/**
 * Moves the deltas into overview_counts: one transaction deletes them (returning what it deleted, so a delta
 * committed meanwhile waits for the next fold) and adds them up; keys in sorted order, so two folds cannot
 * deadlock. Drops hourly buckets older than OVERVIEW_KEEP_MS. Returns how many deltas it folded.
 */
export async function foldOverviewDeltas(db: Store, nowMs: number): Promise<number> {
	return db.transaction().execute(async (tx) => {
		const taken = await tx.deleteFrom('overview_deltas').returning(['metric', 'bucket', 'key', 'n']).execute();
		const sums = new Map<string, { metric: string; bucket: number; key: string; n: number }>();
		for (const d of taken) {
			const k = `${d.metric}\u0000${Number(d.bucket)}\u0000${d.key}`;
			const s = sums.get(k);
			if (s) s.n += Number(d.n);
			else sums.set(k, { metric: d.metric, bucket: Number(d.bucket), key: d.key, n: Number(d.n) });
		}
		const rows = [...sums.entries()]
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([, r]) => r)
			.filter((r) => r.n !== 0);
		for (let i = 0; i < rows.length; i += 500)
			await tx
				.insertInto('overview_counts')
				.values(rows.slice(i, i + 500))
				.onConflict((oc) => oc.columns(['metric', 'bucket', 'key']).doUpdateSet({ n: sql<number>`overview_counts.n + excluded.n` }))
				.execute();
		await tx
			.deleteFrom('overview_counts')
			.where('bucket', '>', 0)
			.where('bucket', '<', nowMs - OVERVIEW_KEEP_MS)
			.execute();
		return taken.length;
	});
}

/** The totals (bucket 0) and the hourly buckets from `fromBucket` on, deltas not yet folded included. */
export async function overviewCounts(db: Db, fromBucket: number): Promise<OverviewDelta[]> {
	// the totals and the hours as two index ranges on overview_counts (bucket), not one OR; the deltas are few
	const rows = await db
		.selectFrom((eb) =>
			eb
				.selectFrom('overview_counts')
				.select(['metric', 'bucket', 'key', 'n'])
				.where('bucket', '=', 0)
				.unionAll(eb.selectFrom('overview_counts').select(['metric', 'bucket', 'key', 'n']).where('bucket', '>=', Math.max(fromBucket, 1)))
				.unionAll(
					eb
						.selectFrom('overview_deltas')
						.select(['metric', 'bucket', 'key', 'n'])
						.where((w) => w.or([w('bucket', '=', 0), w('bucket', '>=', fromBucket)]))
				)
				.as('u')
		)
		.select(['u.metric', 'u.bucket', 'u.key', (eb) => eb.fn.sum<number | string>('u.n').as('n')])
		.groupBy(['u.metric', 'u.bucket', 'u.key'])
		.execute();
	// PostgreSQL's sum(bigint) is numeric (a string through pg)
	return rows.map((r) => ({ metric: r.metric as OverviewMetric, bucket: Number(r.bucket), key: r.key, n: Number(r.n) }));
}

/**
 * Sums of some metrics, deltas not yet folded included: the "now" totals (`from: 'now'`, bucket 0) or the hours from
 * `from` on, grouped by key (bucket −1), by hour (key ''), or by both. The database adds up the hours, so a week of
 * per-venue rows comes back as one row per venue.
 */
export async function overviewSums(
	db: Db,
	metrics: readonly OverviewMetric[],
	from: number | 'now',
	by: 'key' | 'bucket' | 'bucket+key'
): Promise<OverviewDelta[]> {
	const range = from === 'now' ? sql`bucket = 0` : sql`bucket >= ${Math.max(from, 1)}`;
	const names = sql.join(metrics.map((m) => sql`${m}`));
	const cols = by === 'key' ? sql`metric, key` : by === 'bucket' ? sql`metric, bucket` : sql`metric, bucket, key`;
	const { rows } = await sql<{
		metric: string;
		bucket?: number | string;
		key?: string;
		n: number | string;
	}>`select ${cols}, sum(n) as n from (
		select metric, bucket, key, n from overview_counts where metric in (${names}) and ${range}
		union all select metric, bucket, key, n from overview_deltas where metric in (${names}) and ${range}
	) u group by ${cols}`.execute(db);
	// PostgreSQL's sum(bigint) is numeric (a string through pg)
	return rows.map((r) => ({
		metric: r.metric as OverviewMetric,
		bucket: r.bucket === undefined ? -1 : Number(r.bucket),
		key: r.key ?? '',
		n: Number(r.n)
	}));
}

/** Recounts everything from the stored rows (after a bulk load that bypassed the writers: the demo seed). */
export async function rebuildOverview(db: Store): Promise<void> {
	await db.transaction().execute((tx) => rebuildOverviewCounts(tx as unknown as Kysely<unknown>));
}

/** Pending proposals and open appeals (index range counts on status), with the oldest open appeal's time. */
export async function pendingWork(db: Db): Promise<{ proposals: number; appeals: number; oldestAppealAt: number | null }> {
	const p = await db
		.selectFrom('proposals')
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.where('status', '=', 'pending')
		.executeTakeFirst();
	const a = await db
		.selectFrom('appeals')
		.select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min<number | string | null>('created_at').as('oldest')])
		.where('status', '=', 'open')
		.executeTakeFirst();
	return {
		proposals: Number(p?.n ?? 0),
		appeals: Number(a?.n ?? 0),
		oldestAppealAt: a?.oldest === null || a?.oldest === undefined ? null : Number(a.oldest)
	};
}

export interface DeviceLastScan {
	id: string;
	venueId: string;
	venueName: string;
	/** when the server received the device's newest scan (its last upload); null: never uploaded */
	receivedAt: number | null;
	/** that scan's time on the device */
	scannedAt: number | null;
}

/**
 * Each active guard device's newest received scan: the row at its last acknowledged sequence number (the unique
 * (device_id, seq) index), so one index lookup per device, never a scan of the log.
 */
export async function devicesLastScan(db: Db): Promise<DeviceLastScan[]> {
	const rows = await db
		.selectFrom('guard_devices as g')
		.innerJoin('venues as v', 'v.id', 'g.venue_id')
		.leftJoin('scan_events as s', (j) => j.onRef('s.device_id', '=', 'g.id').onRef('s.seq', '=', 'g.last_seq'))
		.select(['g.id', 'g.venue_id', 'v.name', 's.received_at', 's.scanned_at'])
		.where('g.revoked_at', 'is', null)
		.orderBy('g.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		venueId: r.venue_id,
		venueName: r.name,
		receivedAt: r.received_at === null ? null : Number(r.received_at),
		scannedAt: r.scanned_at === null ? null : Number(r.scanned_at)
	}));
}

/** Venue names by id (for the scans-per-venue chart; venues are few). */
export async function venueNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
	if (!ids.length) return new Map();
	const rows = await db.selectFrom('venues').select(['id', 'name']).where('id', 'in', ids).execute();
	return new Map(rows.map((r) => [r.id, r.name]));
}
