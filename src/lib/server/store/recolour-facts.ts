/**
 * The facts a recolour evaluates, read in bulk (src/lib/core/rules/facts.ts): PersonFacts for a chunk of refs (one
 * query per table, `ref IN (…)`, each an index lookup), the world's confirmed cases and cell sites, and the index
 * range scans that find who new facts may affect (recolour/affected.ts). The database keeps milliseconds; facts
 * are Unix seconds, converted here at the boundary. Callers pass the lookback start (`sinceMs`) and keep the
 * chunking policy; these functions only read.
 */
import { sql, SqliteAdapter } from 'kysely';
import type { Db } from './db.js';
import type { CellSite, ContactFact, DeclarationFact, PersonFacts, TrajectoryPoint, VenueVisit } from '../../core/rules/facts.js';
import { point, type PackedFacts } from '../../core/rules/packed-facts.js';
import type { BBox } from '../geo/grid.js';

const sec = (ms: number) => Math.floor(ms / 1000);

interface Mutable {
	ref: string;
	declaration?: DeclarationFact;
	tests: PersonFacts['tests'][number][];
	cases: PersonFacts['cases'][number][];
	quarantine: PersonFacts['quarantine'][number][];
	contacts: ContactFact[];
	trajectory: TrajectoryPoint[];
	visits: VenueVisit[];
	packed: string[];
}

/** A declaration as stored (issuer/declare.ts storedDeclarationData) → the fact the rules read. */
export function declarationFact(id: string, submittedAtMs: number, dataJson: string): DeclarationFact {
	const d = JSON.parse(dataJson) as { temperature?: number; symptoms?: string[]; symptomsDeclared?: boolean };
	const symptoms = (d.symptoms ?? []).filter((s) => s !== 'none');
	return {
		id: `declaration:${id}`,
		at: sec(submittedAtMs),
		temperatureC: typeof d.temperature === 'number' ? d.temperature : 36.5,
		symptoms
	};
}

/**
 * The facts of one chunk of refs (at most a few hundred: each is one `IN (…)` list) since `sinceMs`, with their
 * trajectories still packed as stored (one JSON array per phone on SQLite): unpacking is most of the cost of
 * loading, so a recolour run with worker threads leaves it to the worker that evaluates them (core unpackFacts).
 */
export async function packedFactsOf(
	db: Db,
	refs: readonly string[],
	sinceMs: number,
	opts: { trajectory?: boolean } = {}
): Promise<PackedFacts[]> {
	const out = new Map<string, Mutable>();
	for (const ref of refs) out.set(ref, { ref, tests: [], cases: [], quarantine: [], contacts: [], trajectory: [], visits: [], packed: [] });
	const part = [...out.keys()];
	if (!part.length) return [];
	const since = sinceMs;
	for (const t of await db.selectFrom('health_tests').select(['id', 'ref', 'sampled_at', 'result']).where('ref', 'in', part).execute()) {
		out.get(t.ref)!.tests.push({ id: `test:${t.id}`, sampledAt: sec(t.sampled_at), result: t.result });
	}
	for (const c of await db
		.selectFrom('cases')
		.select(['id', 'ref', 'confirmed_at', 'released_at', 'onset_at', 'isolated_at'])
		.where('ref', 'in', part)
		.execute()) {
		out.get(c.ref)!.cases.push({
			id: `case:${c.id}`,
			confirmedAt: sec(c.confirmed_at),
			...(c.released_at === null ? {} : { releasedAt: sec(c.released_at) }),
			...(c.onset_at === null ? {} : { onsetAt: sec(c.onset_at) }),
			...(c.isolated_at === null ? {} : { isolatedAt: sec(c.isolated_at) })
		});
	}
	for (const q of await db
		.selectFrom('quarantine_orders')
		.select(['id', 'ref', 'from_at', 'until_at'])
		.where('ref', 'in', part)
		.execute()) {
		out.get(q.ref)!.quarantine.push({ id: `quarantine:${q.id}`, from: sec(q.from_at), until: sec(q.until_at) });
	}
	for (const c of await db
		.selectFrom('contacts')
		.select(['id', 'ref', 'kind', 'to_ref', 'exposed_at'])
		.where('ref', 'in', part)
		.execute()) {
		out.get(c.ref)!.contacts.push({ id: `contact:${c.id}`, kind: c.kind, exposedAt: sec(c.exposed_at), to: c.to_ref });
	}
	// without the trajectory: a case import's screen brings the slice it matched (recolour/screen-candidates.ts)
	if (opts.trajectory !== false) await loadTrajectories(db, part, since, out);
	for (const v of await db
		.selectFrom('venue_visits')
		.select(['id', 'ref', 'venue_id', 'at', 'source_region'])
		.where('ref', 'in', part)
		.where('at', '>=', since)
		.execute()) {
		// a visit recorded by another region is its tracing's co-visit finding (migration 022, federation/inbox.ts)
		const found = v.source_region ? { coVisitFound: true } : {};
		out.get(v.ref)!.visits.push({ id: `visit:${v.id}`, venueId: v.venue_id, at: sec(v.at), ...found });
	}
	// scans at our venues of the person's own codes (live guards' logs)
	const scans = await db
		.selectFrom('people')
		.innerJoin('codes', 'codes.person_id', 'people.id')
		.innerJoin('scan_events', 'scan_events.code_id', 'codes.code_id')
		.select(['people.id_hmac as ref', 'scan_events.event_id', 'scan_events.venue_id', 'scan_events.scanned_at'])
		.where('people.id_hmac', 'in', part)
		.where('scan_events.scanned_at', '>=', since)
		.execute();
	for (const s of scans) out.get(s.ref)!.visits.push({ id: `scan:${s.event_id}`, venueId: s.venue_id, at: sec(s.scanned_at) });
	const decls = await db
		.selectFrom('people')
		.innerJoin('declarations', 'declarations.person_id', 'people.id')
		.select(['people.id_hmac as ref', 'declarations.id', 'declarations.submitted_at', 'declarations.data_json'])
		.where('people.id_hmac', 'in', part)
		.where('people.removed_at', 'is', null)
		.where('declarations.status', '=', 'verified')
		.where('declarations.submitted_at', '>=', since)
		.execute();
	for (const d of decls) {
		const m = out.get(d.ref)!;
		if (!m.declaration || m.declaration.at * 1000 < d.submitted_at) m.declaration = declarationFact(d.id, d.submitted_at, d.data_json);
	}
	return [...out.values()].map(({ packed, ...facts }) => ({ facts, packed }));
}

/**
 * A time slice of the refs' trajectories and visits (guard scans of their codes included), [fromMs, untilMs), with
 * the trajectory still packed as stored: what a case import's screen (recolour/screen-candidates.ts) matches against
 * the new cases — the points around the cases' infectious windows, not the 15 days a full evaluation reads.
 */
export async function sliceFactsOf(
	db: Db,
	refs: readonly string[],
	fromMs: number,
	untilMs: number,
	ranges?: ReadonlyMap<string, { lo: number; hi: number }>
): Promise<PackedFacts[]> {
	const out = new Map<string, Mutable>();
	for (const ref of refs) out.set(ref, { ref, tests: [], cases: [], quarantine: [], contacts: [], trajectory: [], visits: [], packed: [] });
	const part = [...out.keys()];
	if (!part.length) return [];
	if (ranges && db.getExecutor().adapter instanceof SqliteAdapter) await loadTrajectoryRanges(db, part, fromMs, untilMs, ranges, out);
	else await loadTrajectories(db, part, fromMs, out, untilMs);
	for (const v of await db
		.selectFrom('venue_visits')
		.select(['id', 'ref', 'venue_id', 'at', 'source_region'])
		.where('ref', 'in', part)
		.where('at', '>=', fromMs)
		.where('at', '<', untilMs)
		.execute()) {
		const found = v.source_region ? { coVisitFound: true } : {};
		out.get(v.ref)!.visits.push({ id: `visit:${v.id}`, venueId: v.venue_id, at: sec(v.at), ...found });
	}
	for (const s of await db
		.selectFrom('people')
		.innerJoin('codes', 'codes.person_id', 'people.id')
		.innerJoin('scan_events', 'scan_events.code_id', 'codes.code_id')
		.select(['people.id_hmac as ref', 'scan_events.event_id', 'scan_events.venue_id', 'scan_events.scanned_at'])
		.where('people.id_hmac', 'in', part)
		.where('scan_events.scanned_at', '>=', fromMs)
		.where('scan_events.scanned_at', '<', untilMs)
		.execute())
		out.get(s.ref)!.visits.push({ id: `scan:${s.event_id}`, venueId: s.venue_id, at: sec(s.scanned_at) });
	return [...out.values()].map(({ packed, ...facts }) => ({ facts, packed }));
}

/**
 * sliceFactsOf's points on SQLite with a range per ref ([lo, hi) within [from, until); a ref without one: all of
 * it): one query, the ranges as a VALUES table joined to the covering (phone_hmac, at, …) index, packed per phone.
 */
async function loadTrajectoryRanges(
	db: Db,
	refs: readonly string[],
	fromMs: number,
	untilMs: number,
	ranges: ReadonlyMap<string, { lo: number; hi: number }>,
	out: Map<string, Mutable>
): Promise<void> {
	const rows = refs.map((ref) => {
		const r = ranges.get(ref);
		return sql`(${ref}, ${Math.max(fromMs, r?.lo ?? fromMs)}, ${Math.min(untilMs, r?.hi ?? untilMs)})`;
	});
	const { rows: found } = await sql<{ ref: string; points: string }>`
		with r(ref, lo, hi) as (values ${sql.join(rows)})
		select p.id_hmac as ref, json_group_array(json_array(t.id, t.at, t.lat, t.lon, t.accuracy_m, t.cell)) as points
		from r join phone_registry p on p.id_hmac = r.ref join trajectory_points t on t.phone_hmac = p.phone_hmac
		where t.at >= r.lo and t.at < r.hi and t.lat is not null and t.lon is not null
		group by p.phone_hmac`.execute(db);
	for (const r of found) out.get(r.ref)!.packed.push(r.points);
}

/**
 * Trajectory points of the refs' phones since `since` (ms). About 125 points per resident: building one JS row
 * object per point cost more than finding them (≈ 5 µs CPU per row through better-sqlite3, against ≈ 0.3 µs in
 * SQLite, bench/recolour.ts at 100 000 residents). On SQLite the points come one row per phone, packed by
 * json_group_array (native JSON.parse on our side; SQLite renders REALs with round-trip precision), read from
 * the covering (phone_hmac, at, lat, lon, accuracy_m) index of migration 006. PostgreSQL: plain rows.
 */
async function loadTrajectories(
	db: Db,
	refs: readonly string[],
	since: number,
	out: Map<string, Mutable>,
	until = Number.MAX_SAFE_INTEGER
): Promise<void> {
	if (db.getExecutor().adapter instanceof SqliteAdapter) {
		const { rows } = await sql<{ ref: string; points: string }>`
			select p.id_hmac as ref, json_group_array(json_array(t.id, t.at, t.lat, t.lon, t.accuracy_m, t.cell)) as points
			from phone_registry p join trajectory_points t on t.phone_hmac = p.phone_hmac
			where p.id_hmac in (${sql.join(refs)}) and t.at >= ${since} and t.at < ${until} and t.lat is not null and t.lon is not null
			group by p.phone_hmac`.execute(db);
		for (const r of rows) out.get(r.ref)!.packed.push(r.points);
		return;
	}
	const points = await db
		.selectFrom('phone_registry')
		.innerJoin('trajectory_points', 'trajectory_points.phone_hmac', 'phone_registry.phone_hmac')
		.select([
			'phone_registry.id_hmac as ref',
			'trajectory_points.id',
			'trajectory_points.at',
			'trajectory_points.lat',
			'trajectory_points.lon',
			'trajectory_points.accuracy_m',
			'trajectory_points.cell'
		])
		.where('phone_registry.id_hmac', 'in', refs)
		.where('trajectory_points.at', '>=', since)
		.where('trajectory_points.at', '<', until)
		.execute();
	for (const p of points) {
		if (p.lat === null || p.lon === null) continue;
		out.get(p.ref)!.trajectory.push(point(p.id, p.at, p.lat, p.lon, p.accuracy_m, p.cell));
	}
}

/** Whether any venue visit since `sinceMs` was recorded by another region (its id carries that region: federation/fact.ts). */
export async function anyReceivedVisitSince(db: Db, sinceMs: number): Promise<boolean> {
	const row = await db
		.selectFrom('venue_visits')
		.select('id')
		.where('source_region', 'is not', null)
		.where('at', '>=', sinceMs)
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}

/** Confirmed cases not released before `sinceMs` (their infectious period may still matter). */
export async function caseRefsSince(db: Db, sinceMs: number): Promise<string[]> {
	const rows = await db
		.selectFrom('cases')
		.select('ref')
		.where((eb) => eb.or([eb('released_at', 'is', null), eb('released_at', '>=', sinceMs)]))
		.distinct()
		.execute();
	return rows.map((r) => r.ref);
}

/** Which of these refs (one chunk) are or were confirmed cases. */
export async function caseRefsAmong(db: Db, refs: readonly string[]): Promise<string[]> {
	if (!refs.length) return [];
	return (await db.selectFrom('cases').select('ref').where('ref', 'in', refs).distinct().execute()).map((c) => c.ref);
}

/** Every cell site as the rules read it. */
export async function cellSiteFacts(db: Db): Promise<CellSite[]> {
	const cells = await db.selectFrom('cell_sites').select(['cell', 'lat', 'lon', 'radius_m']).execute();
	return cells.map((c) => ({ id: c.cell, lat: c.lat, lon: c.lon, radiusM: c.radius_m }));
}

/** The widest cell radius (m), 0 without cell sites. */
export async function widestCellRadius(db: Db): Promise<number> {
	const widest = await db
		.selectFrom('cell_sites')
		.select((eb) => eb.fn.max('radius_m').as('r'))
		.executeTakeFirst();
	return Number(widest?.r ?? 0);
}

/** The owners (id HMACs) of these phones (one chunk). */
export async function ownersOfPhones(db: Db, phoneHmacs: readonly string[]): Promise<string[]> {
	if (!phoneHmacs.length) return [];
	return (await db.selectFrom('phone_registry').select('id_hmac').where('phone_hmac', 'in', phoneHmacs).execute()).map((r) => r.id_hmac);
}

/**
 * Phones seen in these grid cells (one chunk) between fromMs and untilMs. One range scan per cell on
 * (grid, at, lat, lon) (migration 006); with `box`, points outside it are dropped by the index alone, so only
 * points inside cost a table lookup (for the phone).
 */
export async function phonesInCells(db: Db, cells: readonly number[], fromMs: number, untilMs: number, box?: BBox): Promise<string[]> {
	if (!cells.length) return [];
	let q = db
		.selectFrom('trajectory_points')
		.select('phone_hmac')
		.where('grid', 'in', cells)
		.where('at', '>=', fromMs)
		.where('at', '<', untilMs);
	if (box) q = q.where('lat', '>=', box.south).where('lat', '<=', box.north).where('lon', '>=', box.west).where('lon', '<=', box.east);
	return (await q.distinct().execute()).map((r) => r.phone_hmac);
}

/** A phone the range scans found, with the times (ms) of its first and last point they found. */
export interface PhoneTimes {
	phone: string;
	lo: number;
	hi: number;
}

/** phonesInCells with each phone's first and last matching point: what a case import's screen reads around (recolour/affected.ts). */
export async function phoneTimesInCells(
	db: Db,
	cells: readonly number[],
	fromMs: number,
	untilMs: number,
	box?: BBox
): Promise<PhoneTimes[]> {
	if (!cells.length) return [];
	let q = db
		.selectFrom('trajectory_points')
		.select((eb) => ['phone_hmac', eb.fn.min('at').as('lo'), eb.fn.max('at').as('hi')])
		.where('grid', 'in', cells)
		.where('at', '>=', fromMs)
		.where('at', '<', untilMs);
	if (box) q = q.where('lat', '>=', box.south).where('lat', '<=', box.north).where('lon', '>=', box.west).where('lon', '<=', box.east);
	return (await q.groupBy('phone_hmac').execute()).map((r) => ({ phone: r.phone_hmac, lo: Number(r.lo), hi: Number(r.hi) }));
}

/**
 * Phones with a cell-based point in these cells (carrier cell ids, one chunk) between fromMs and untilMs, with their
 * first and last such point: one range scan per cell on (cell, at) (migration 019).
 */
export async function phoneTimesInCellIds(db: Db, cells: readonly string[], fromMs: number, untilMs: number): Promise<PhoneTimes[]> {
	if (!cells.length) return [];
	const rows = await db
		.selectFrom('trajectory_points')
		.select((eb) => ['phone_hmac', eb.fn.min('at').as('lo'), eb.fn.max('at').as('hi')])
		.where('cell', 'in', cells)
		.where('at', '>=', fromMs)
		.where('at', '<', untilMs)
		.groupBy('phone_hmac')
		.execute();
	return rows.map((r) => ({ phone: r.phone_hmac, lo: Number(r.lo), hi: Number(r.hi) }));
}

/** The owners of these phones (one chunk), phone by phone. */
export async function phoneOwners(db: Db, phoneHmacs: readonly string[]): Promise<{ phone: string; ref: string }[]> {
	if (!phoneHmacs.length) return [];
	const rows = await db.selectFrom('phone_registry').select(['phone_hmac', 'id_hmac']).where('phone_hmac', 'in', phoneHmacs).execute();
	return rows.map((r) => ({ phone: r.phone_hmac, ref: r.id_hmac }));
}

/** The trajectory points (lat, lon, at ms) of these refs' phones (one chunk) since `sinceMs`. */
export async function pointsOfRefs(
	db: Db,
	refs: readonly string[],
	sinceMs: number
): Promise<
	{ id: number; ref: string; lat: number | null; lon: number | null; at: number; accuracy_m: number | null; cell: string | null }[]
> {
	if (!refs.length) return [];
	return db
		.selectFrom('phone_registry')
		.innerJoin('trajectory_points', 'trajectory_points.phone_hmac', 'phone_registry.phone_hmac')
		.select([
			'trajectory_points.id',
			'phone_registry.id_hmac as ref',
			'trajectory_points.lat',
			'trajectory_points.lon',
			'trajectory_points.at',
			'trajectory_points.accuracy_m',
			'trajectory_points.cell'
		])
		.where('phone_registry.id_hmac', 'in', refs)
		.where('trajectory_points.at', '>=', sinceMs)
		.execute();
}

/** The venue visits of these refs (one chunk) since `sinceMs`. */
export async function visitsOfRefs(
	db: Db,
	refs: readonly string[],
	sinceMs: number
): Promise<{ ref: string; venue_id: string; at: number }[]> {
	if (!refs.length) return [];
	return db.selectFrom('venue_visits').select(['ref', 'venue_id', 'at']).where('ref', 'in', refs).where('at', '>=', sinceMs).execute();
}

/** The guard scans of these refs' own codes (one chunk) since `sinceMs`: venue and time (the rules read them as visits). */
export async function scansOfRefs(
	db: Db,
	refs: readonly string[],
	sinceMs: number
): Promise<{ ref: string; venue_id: string; at: number }[]> {
	if (!refs.length) return [];
	return db
		.selectFrom('people')
		.innerJoin('codes', 'codes.person_id', 'people.id')
		.innerJoin('scan_events', 'scan_events.code_id', 'codes.code_id')
		.select(['people.id_hmac as ref', 'scan_events.venue_id', 'scan_events.scanned_at as at'])
		.where('people.id_hmac', 'in', refs)
		.where('scan_events.scanned_at', '>=', sinceMs)
		.execute();
}

/** Whose codes were scanned at a venue between fromMs and untilMs (inclusive): a range scan on scan_events (scanned_at). */
export async function scannedAt(db: Db, venueId: string, fromMs: number, untilMs: number): Promise<string[]> {
	const rows = await db
		.selectFrom('scan_events')
		.innerJoin('codes', 'codes.code_id', 'scan_events.code_id')
		.innerJoin('people', 'people.id', 'codes.person_id')
		.select('people.id_hmac as ref')
		.where('scan_events.venue_id', '=', venueId)
		.where('scan_events.scanned_at', '>=', fromMs)
		.where('scan_events.scanned_at', '<=', untilMs)
		.distinct()
		.execute();
	return rows.map((r) => r.ref);
}

/** Who visited a venue between fromMs and untilMs (inclusive): an index range scan on venue_visits (venue_id, at). */
export async function visitorsOf(db: Db, venueId: string, fromMs: number, untilMs: number): Promise<string[]> {
	const rows = await db
		.selectFrom('venue_visits')
		.select('ref')
		.where('venue_id', '=', venueId)
		.where('at', '>=', fromMs)
		.where('at', '<=', untilMs)
		.execute();
	return rows.map((r) => r.ref);
}

/** The people named as contacts of these refs (one chunk). */
export async function contactsOf(db: Db, refs: readonly string[]): Promise<string[]> {
	if (!refs.length) return [];
	return (await db.selectFrom('contacts').select('ref').where('to_ref', 'in', refs).execute()).map((r) => r.ref);
}
