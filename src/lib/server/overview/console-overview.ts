/**
 * The console overview (GET /api/v1/console/overview): the numbers an officer looks at first, from the counts
 * the writers keep (store/overview.ts) — a read of a few hundred small rows plus an index lookup per guard device,
 * whatever the size of the city. A fold job (scheduleOverviewFold) keeps the delta table short.
 */
import { OVERVIEW_HOURS, type ConsoleOverview } from '../../core/contract/console-overview.js';
import { scheduleJob } from '../jobs/schedule-job.js';
import type { Store } from '../store/db.js';
import {
	HOUR_MS,
	devicesLastScan,
	foldOverviewDeltas,
	hourOf,
	overviewSums,
	pendingWork,
	venueNames,
	type OverviewDelta
} from '../store/overview.js';

const sortedRecord = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export async function consoleOverview(db: Store, nowMs: number): Promise<ConsoleOverview> {
	const current = hourOf(nowMs);
	const hours = Array.from({ length: OVERVIEW_HOURS }, (_, i) => current - (OVERVIEW_HOURS - 1 - i) * HOUR_MS);
	const first = hours[0]!;
	// four small grouped reads: the totals; the per-hour series; per-key sums over the day; scans per hour
	const totals = await overviewSums(db, ['colour', 'status'], 'now', 'key');
	const hourly = await overviewSums(db, ['colour.net', 'recolour'], first, 'bucket+key');
	const perKey = await overviewSums(db, ['scan', 'verdict', 'import', 'import.runs'], first, 'key');
	const scanHours = await overviewSums(db, ['scan'], first, 'bucket');
	const of = (rows: OverviewDelta[], metric: OverviewDelta['metric']) => rows.filter((r) => r.metric === metric && r.n !== 0);

	const colours = new Map<string, number>();
	for (const r of of(totals, 'colour')) colours.set(r.key, r.n);
	// the mix at the end of hour h = now − the net changes of the hours after h
	const net = of(hourly, 'colour.net');
	const colourSeries = hours.map((hour) => {
		const at = new Map(colours);
		for (const r of net) if (r.bucket > hour) at.set(r.key, (at.get(r.key) ?? 0) - r.n);
		for (const [k, n] of at) if (n === 0) at.delete(k);
		return { hour, counts: sortedRecord(at) };
	});

	const recolours = of(hourly, 'recolour')
		.map((r) => ({ hour: r.bucket, reason: r.key, count: r.n }))
		.sort((a, b) => a.hour - b.hour || (a.reason < b.reason ? -1 : 1));

	const imports = new Map<string, { kind: string; records: number; runs: number }>();
	for (const r of [...of(perKey, 'import'), ...of(perKey, 'import.runs')]) {
		const i = imports.get(r.key) ?? { kind: r.key, records: 0, runs: 0 };
		if (r.metric === 'import') i.records += r.n;
		else i.runs += r.n;
		imports.set(r.key, i);
	}

	const byVenue = of(perKey, 'scan');
	const names = await venueNames(
		db,
		byVenue.map((r) => r.key)
	);
	const byHour = new Map(of(scanHours, 'scan').map((r) => [r.bucket, r.n]));
	const verdicts = { valid: 0, invalid: 0, unverifiable: 0 };
	for (const r of of(perKey, 'verdict')) if (r.key in verdicts) verdicts[r.key as keyof typeof verdicts] += r.n;

	return {
		at: nowMs,
		hours,
		colours: sortedRecord(colours),
		colourSeries,
		recolours,
		pending: await pendingWork(db),
		imports: [...imports.values()].sort((a, b) => (a.kind < b.kind ? -1 : 1)),
		scansByVenue: byVenue
			.map((r) => ({ venueId: r.key, name: names.get(r.key) ?? r.key, count: r.n }))
			.sort((a, b) => b.count - a.count || (a.venueId < b.venueId ? -1 : 1)),
		scansByHour: hours.map((h) => byHour.get(h) ?? 0),
		verdicts,
		devices: await devicesLastScan(db),
		statusList: of(totals, 'status')
			.map((r) => ({ region: r.key, entries: r.n }))
			.sort((a, b) => (a.region < b.region ? -1 : 1))
	};
}

export const OVERVIEW_FOLD_INTERVAL_MS = 60_000;

/** Folds the overview's deltas every minute (jobs/schedule-job.ts: no overlap, one instance per window). */
export function scheduleOverviewFold(
	db: Store,
	clock: () => number,
	intervalMs = OVERVIEW_FOLD_INTERVAL_MS,
	log?: (msg: string) => void
): () => void {
	const run = async () => {
		await foldOverviewDeltas(db, clock());
		return undefined;
	};
	return scheduleJob(db, clock, { name: 'overview-fold', label: 'overview fold', intervalMs, run }, log);
}
