/**
 * Loads the facts of src/lib/core/rules/facts.ts from storage, in bulk: PersonFacts for a chunk of refs (one
 * query per table, `ref IN (…)`, each an index lookup), and the WorldFacts of a recolour run (active risk
 * areas, and the trajectories and venue visits of confirmed cases). The database keeps milliseconds; facts
 * are Unix seconds, converted here at the boundary.
 */
import { sql, SqliteAdapter, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type {
	ContactFact,
	DeclarationFact,
	PersonFacts,
	RiskArea,
	TrajectoryPoint,
	VenueVisit,
	WorldFacts
} from '../../core/rules/facts.js';
import { point, unpackFacts, type PackedFacts } from './packed-facts.js';

type Db = Kysely<Database> | Transaction<Database>;

/** How far back trajectories and visits are loaded: the longest lookback of any rule (14 days) plus a day. */
export const FACTS_LOOKBACK_MS = 15 * 86_400_000;
/** refs per IN (…) list */
export const IN_CHUNK = 500;

const sec = (ms: number) => Math.floor(ms / 1000);

function chunks<T>(xs: readonly T[], n = IN_CHUNK): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
	return out;
}

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

/** A declaration as stored (declare.ts storedDeclarationData) → the fact the rules read. */
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

export async function loadPersonFacts(db: Db, refs: readonly string[], nowMs: number): Promise<Map<string, PersonFacts>> {
	const out = new Map<string, PersonFacts>();
	for (const p of await loadPackedFacts(db, refs, nowMs)) out.set(p.facts.ref, unpackFacts(p));
	return out;
}

/**
 * The facts of the refs with their trajectories still packed as stored (one JSON array per phone on SQLite):
 * unpacking is most of the cost of loading, so a recolour run with worker threads (evaluate-pool.ts) leaves it
 * to the worker that evaluates them. unpackFacts gives what loadPersonFacts returns.
 */
export async function loadPackedFacts(db: Db, refs: readonly string[], nowMs: number): Promise<PackedFacts[]> {
	const out = new Map<string, Mutable>();
	for (const ref of refs) out.set(ref, { ref, tests: [], cases: [], quarantine: [], contacts: [], trajectory: [], visits: [], packed: [] });
	const since = nowMs - FACTS_LOOKBACK_MS;
	for (const part of chunks([...out.keys()])) {
		for (const t of await db.selectFrom('health_tests').select(['id', 'ref', 'sampled_at', 'result']).where('ref', 'in', part).execute()) {
			out.get(t.ref)!.tests.push({ id: `test:${t.id}`, sampledAt: sec(t.sampled_at), result: t.result });
		}
		for (const c of await db.selectFrom('cases').select(['id', 'ref', 'confirmed_at', 'released_at']).where('ref', 'in', part).execute()) {
			out.get(c.ref)!.cases.push({
				id: `case:${c.id}`,
				confirmedAt: sec(c.confirmed_at),
				...(c.released_at === null ? {} : { releasedAt: sec(c.released_at) })
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
		await loadTrajectories(db, part, since, out);
		for (const v of await db
			.selectFrom('venue_visits')
			.select(['id', 'ref', 'venue_id', 'at'])
			.where('ref', 'in', part)
			.where('at', '>=', since)
			.execute()) {
			out.get(v.ref)!.visits.push({ id: `visit:${v.id}`, venueId: v.venue_id, at: sec(v.at) });
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
	}
	return [...out.values()].map(({ packed, ...facts }) => ({ facts, packed }));
}

/**
 * Trajectory points of the refs' phones since `since` (ms). About 125 points per resident: building one JS row
 * object per point cost more than finding them (≈ 5 µs CPU per row through better-sqlite3, against ≈ 0.3 µs in
 * SQLite, bench/recolour.ts at 100 000 residents). On SQLite the points come one row per phone, packed by
 * json_group_array (native JSON.parse on our side; SQLite renders REALs with round-trip precision), read from
 * the covering (phone_hmac, at, lat, lon, accuracy_m) index of migration 006. PostgreSQL: plain rows.
 */
async function loadTrajectories(db: Db, refs: readonly string[], since: number, out: Map<string, Mutable>): Promise<void> {
	if (db.getExecutor().adapter instanceof SqliteAdapter) {
		const { rows } = await sql<{ ref: string; points: string }>`
			select p.id_hmac as ref, json_group_array(json_array(t.id, t.at, t.lat, t.lon, t.accuracy_m, t.cell)) as points
			from phone_registry p join trajectory_points t on t.phone_hmac = p.phone_hmac
			where p.id_hmac in (${sql.join(refs)}) and t.at >= ${since} and t.lat is not null and t.lon is not null
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
		.execute();
	for (const p of points) {
		if (p.lat === null || p.lon === null) continue;
		out.get(p.ref)!.trajectory.push(point(p.id, p.at, p.lat, p.lon, p.accuracy_m, p.cell));
	}
}

export function riskAreaFromRow(r: { id: string; level: string; shape_json: string; from_at: number; until_at: number | null }): RiskArea {
	return {
		id: `area:${r.id}`,
		level: r.level as RiskArea['level'],
		shape: JSON.parse(r.shape_json) as RiskArea['shape'],
		from: sec(r.from_at),
		...(r.until_at === null ? {} : { until: sec(r.until_at) })
	};
}

/** Confirmed cases whose infectious period may still matter (not released before the lookback). */
export async function activeCaseRefs(db: Db, nowMs: number): Promise<string[]> {
	const since = nowMs - FACTS_LOOKBACK_MS;
	const rows = await db
		.selectFrom('cases')
		.select('ref')
		.where((eb) => eb.or([eb('released_at', 'is', null), eb('released_at', '>=', since)]))
		.distinct()
		.execute();
	return rows.map((r) => r.ref);
}

export async function loadWorldFacts(db: Db, nowMs: number): Promise<WorldFacts> {
	const since = nowMs - FACTS_LOOKBACK_MS;
	const areas = await db
		.selectFrom('risk_areas')
		.select(['id', 'level', 'shape_json', 'from_at', 'until_at'])
		.where((eb) => eb.or([eb('until_at', 'is', null), eb('until_at', '>=', since)]))
		.execute();
	const caseRefs = await activeCaseRefs(db, nowMs);
	const trajectories = new Map<string, TrajectoryPoint[]>();
	const visits = new Map<string, VenueVisit[]>();
	for (const part of chunks(caseRefs)) {
		const facts = await loadPersonFacts(db, part, nowMs);
		for (const [ref, f] of facts) {
			if (f.trajectory.length) trajectories.set(ref, [...f.trajectory]);
			if (f.visits.length) visits.set(ref, [...f.visits]);
		}
	}
	const cells = await db.selectFrom('cell_sites').select(['cell', 'lat', 'lon', 'radius_m']).execute();
	return {
		riskAreas: areas.map(riskAreaFromRow),
		caseTrajectories: [...trajectories].map(([ref, points]) => ({ ref, points })),
		caseVisits: [...visits].map(([ref, v]) => ({ ref, visits: v })),
		cells: cells.map((c) => ({ id: c.cell, lat: c.lat, lon: c.lon, radiusM: c.radius_m }))
	};
}
