/**
 * `tongxing seed`: writes the synthetic demo city (./city, generated from a fixed seed) into the database the
 * way the data sources would deliver it — household register, phone registry, carrier trajectories, venue
 * visits, tests, cases, quarantine orders, contacts, the outbreak's risk areas, the venues — in bulk
 * (multi-row inserts, one transaction per block of households; SQLite with synchronous = OFF for the duration),
 * then evaluates every resident once with the active rules (resident_colours + one audit entry each, actor
 * `system/seed`). Codes are not signed here: residents get them when they sign in and declare (a million
 * unused signatures would be waste); their colour is known and audited from the start.
 *
 * The ground truth (who was really exposed) is not stored: it stays in the generator for the accuracy
 * benchmark.
 */
import type { IssuerDeps } from '../lib/server/issuer/deps.js';
import { nameHmac } from '../lib/server/issuer/cross-check.js';
import { idHmac } from '../lib/server/issuer/people.js';
import { keyedHash } from '../lib/server/secrets.js';
import { transaction } from '../lib/server/store/db.js';
import {
	beginSqliteBulkLoad,
	cityWriters,
	createTrajectoryIndexes,
	dropTrajectoryIndexes,
	endSqliteBulkLoad,
	hasCityOrColours,
	insertCellSitesIfAbsent,
	isPostgres,
	isTableEmpty,
	TRAJECTORY_INDEX_COUNT,
	type CityWriters
} from '../lib/server/store/demo-seed.js';
import { colourCounts, residentColour } from '../lib/server/store/resident-colours-for-seed.js';
import { rebuildOverview } from '../lib/server/store/overview.js';
import { insertRiskAreaIfAbsent } from '../lib/server/store/risk-areas-for-seed.js';
import { insertVenueIfAbsent } from '../lib/server/store/venues.js';
import { gridOf, bboxOf } from '../lib/server/geo/grid.js';
import { cellBounds } from '../lib/core/rules/grid.js';
import { generateCity } from './city/city.js';
import { cityPreset } from './city/presets.js';
import { routingHash } from '../lib/core/federation/routing-hash.js';
import { upsertResidentRoutes } from '../lib/server/store/federation-facts.js';
import type { City, CityHousehold, CityPersona } from './city/types.js';
import { recolour, reviewMs, type RecolourResult } from '../lib/server/recolour/recolour.js';
import { explanationJson } from '../lib/server/recolour/explanation.js';
import { invalidateEngine, loadEngine, type Engine } from '../lib/server/recolour/engine.js';
import { activeCaseRefs } from '../lib/server/recolour/load-facts.js';
import { storedPersonFacts } from './seed-facts.js';
import { cityDistricts } from './city/districts.js';
import { districtRow } from '../lib/server/map/districts.js';
import { insertDistrictsIfNone, upsertVenuePlaces } from '../lib/server/store/map-layers.js';
import { rebuildDensity } from '../lib/server/store/map-density.js';

export interface SeedOptions {
	residents?: number;
	seed?: string;
	onProgress?: (stage: string, done: number, total: number) => void;
}

export interface SeedResult {
	residents: number;
	households: number;
	trajectoryPoints: number;
	venues: number;
	riskAreas: number;
	colours: Record<string, number>;
	personas: (CityPersona & { colour: string; reasons: string[] })[];
	recolour: RecolourResult;
	/** where the colours were decided from: the generated facts while writing (SQLite, fresh database) or the stored facts afterwards */
	evaluatedFrom: 'generated facts' | 'database';
	ms: { generateAndWrite: number; evaluate: number };
}

const HOUSEHOLDS_PER_TX = 5000;
const ms = (s: number) => s * 1000;

/** True when the database already holds a city (or any resident colour): seeding again would duplicate facts. */
export async function isSeeded(deps: IssuerDeps): Promise<boolean> {
	return hasCityOrColours(deps.db);
}

export async function seedCity(deps: IssuerDeps, opts: SeedOptions = {}): Promise<SeedResult> {
	const db = deps.db;
	const now = deps.clock();
	const started = performance.now();
	const city: City = generateCity({
		...cityPreset(deps.config.region),
		start: Math.floor(now / 1000),
		...(opts.residents ? { residents: opts.residents } : {}),
		...(opts.seed ? { seed: opts.seed } : {})
	});
	const pg = isPostgres(db);
	const rebuild = await isTableEmpty(db, 'trajectory_points');
	/**
	 * The fast path (SQLite, fresh database): trajectory rows get explicit consecutive ids and everyone is
	 * evaluated from the generated facts while they are written (seed-facts.ts), against the world read back
	 * from the database once the cases' households are in — instead of reading ~125 points per resident back
	 * (≈ 1 ms each). Checked at the end: if the stored cases differ from those the world was built from, everyone
	 * is re-evaluated from the database. Otherwise (PostgreSQL, or a database with residents or accounts
	 * already): write everything, then recolour() everyone.
	 */
	const fast =
		!pg &&
		rebuild &&
		(await isTableEmpty(db, 'resident_colours')) &&
		(await isTableEmpty(db, 'resident_colour_events')) &&
		(await isTableEmpty(db, 'people'));
	// a bulk load into a fresh file: no fsync, and (fast path) no journal instead of WAL — nothing is written
	// twice (WAL, then checkpoint) and no copy of changed pages is kept. Without a journal a failed seed
	// leaves a file to delete, as a crash would; `tongxing seed` refuses a seeded database anyway.
	if (!pg) await beginSqliteBulkLoad(db, fast);
	// Into an empty table, building the trajectory indexes once after the load (a sort) is much cheaper than
	// maintaining three of them row by row; restored in `finally`.
	if (rebuild) await dropTrajectoryIndexes(db);
	const key = deps.hmacKey;
	const refs: string[] = [];
	let points = 0;
	let nextPointId = 1;
	let h = 0;
	let evaluateMs = 0;
	const evaluated: RecolourResult = { evaluated: 0, changed: 0, transitions: {}, codesIssued: 0, ruleVersion: '', ms: 0 };
	let engine: Engine | undefined;
	let worldCases: string[] = [];
	const nowSec = Math.floor(now / 1000);

	/** Evaluates one resident from their generated facts and queues their colour + first audit entry. */
	const evaluateInto = (
		w: CityWriters,
		e: Engine,
		ref: string,
		f: CityHousehold['members'][number]['facts'],
		hasPhone: boolean,
		firstPointId: number
	) => {
		const t0 = performance.now();
		const ev = e.evaluate(storedPersonFacts(key, ref, f, hasPhone, firstPointId, now), nowSec);
		const reasons = JSON.stringify(ev.reasons);
		w.colours.push([ref, ev.colour, reasons, ev.ruleVersion, now, reviewMs(ev), explanationJson(ev)]);
		w.audit.push([ref, now, ev.colour, null, reasons, ev.ruleVersion, JSON.stringify(ev.factsUsed), ACTOR]);
		evaluated.evaluated++;
		evaluated.changed++;
		const k = `none→${ev.colour}`;
		evaluated.transitions[k] = (evaluated.transitions[k] ?? 0) + 1;
		evaluateMs += performance.now() - t0;
	};

	/** Writes one household's facts (and, on the fast path, its members' colours + audit entries). */
	const writeHousehold = (w: CityWriters, hh: CityHousehold) => {
		h++;
		const homeCell = gridOf(hh.home.lat, hh.home.lon);
		for (const p of hh.members) {
			const ref = idHmac(key, 'resident', p.idNumber);
			refs.push(ref);
			w.register.push([ref, nameHmac(key, p.name), hh.region, hh.id, now]);
			w.places.push([ref, homeCell, now]);
			const f = p.facts;
			const firstPointId = nextPointId;
			if (p.phone) {
				const phone = keyedHash(key, 'phone', p.phone);
				w.phones.push([phone, ref, now]);
				for (const t of f.trajectory) {
					const row = [phone, ms(t.at), t.lat, t.lon, t.cell ?? null, t.accuracyM, gridOf(t.lat, t.lon)];
					w.traj.push(fast ? [nextPointId++, ...row] : row);
				}
				points += f.trajectory.length;
			}
			for (const v of f.visits) w.visits.push([v.id, ref, v.venueId, ms(v.at)]);
			for (const t of f.tests) w.tests.push([t.id, ref, ms(t.sampledAt), t.result, now]);
			for (const c of f.cases) w.cases.push([c.id, ref, ms(c.confirmedAt), c.releasedAt === undefined ? null : ms(c.releasedAt), now]);
			for (const q of f.quarantine) w.orders.push([q.id, ref, ms(q.from), ms(q.until), now]);
			for (const c of f.contacts) w.contacts.push([c.id, ref, c.kind, idHmac(key, 'resident', c.to), ms(c.exposedAt), now]);
			if (engine) evaluateInto(w, engine, ref, f, p.phone !== null, firstPointId);
		}
	};
	// a federated region (docs/federation.md §Registration): every resident's routing hash, so the exchange job
	// registers them with the gateway and facts other regions record about them are routed here
	const nationalKey = deps.nationalIdKey;
	const inTx = async (households: Iterable<CityHousehold>) => {
		await transaction(db, async (tx) => {
			const w = cityWriters(tx, fast);
			const all = Object.values(w);
			const routes: { route: string; ref: string }[] = [];
			for (const hh of households) {
				writeHousehold(w, hh);
				for (const b of all) await b.drain(tx);
				if (nationalKey)
					for (const p of hh.members)
						routes.push({ route: routingHash(nationalKey, p.idNumber), ref: idHmac(key, 'resident', p.idNumber) });
			}
			for (const b of all) await b.flush(tx);
			if (routes.length) await upsertResidentRoutes(tx, routes, now);
		});
	};

	try {
		await transaction(db, async (tx) => {
			// the carrier's cell table (the points name their serving cell; the precise companion rule reads it)
			await insertCellSitesIfAbsent(
				tx,
				city.cells.map((c) => [c.id, c.lat, c.lon, c.radiusM] as const)
			);
			for (const v of city.venues) {
				await insertVenueIfAbsent(tx, {
					id: v.id,
					name: v.nameZh,
					region: v.region,
					policy_json: JSON.stringify({ policy: v.policy }),
					created_at: now
				});
			}
			// the console map: where each venue is, and the districts' outlines (an operator's imported ones are kept)
			await upsertVenuePlaces(
				tx,
				city.venues.map((v) => [v.id, v.lat, v.lon, v.radiusM] as const)
			);
			await insertDistrictsIfNone(
				tx,
				cityDistricts(city.options).map((d) => districtRow({ ...d, polygons: [[d.ring]] }, 'demo', now))
			);
			// Names residents read in their reasons (the app shows the place): the site is the market venue.
			const site = city.venues.find((v) => v.id === city.outbreak.siteVenueId);
			const areaNames: Record<string, string> = {
				'RA-high-site': site ? `${site.nameZh}（高风险区）` : '农贸市场（高风险区）',
				'RA-medium-a-building': '住宅楼 1 栋（中风险区）'
			};
			for (const a of city.outbreak.riskAreas) {
				const bbox = a.shape.type === 'polygon' ? bboxOf(a.shape.ring) : cellsBox(a.shape.cells);
				await insertRiskAreaIfAbsent(tx, {
					id: a.id,
					name: areaNames[a.id] ?? a.id,
					level: a.level,
					shape_json: JSON.stringify(a.shape),
					bbox_west: bbox.west,
					bbox_south: bbox.south,
					bbox_east: bbox.east,
					bbox_north: bbox.north,
					from_at: ms(a.from),
					until_at: a.until === undefined ? null : ms(a.until),
					created_at: now,
					created_by: ACTOR
				});
			}
		});
		const skip = new Set<number>();
		if (fast) {
			// the cases' households first: then the world (risk areas + the cases' trajectories and visits) can be
			// read back exactly as a recolour run reads it, and everyone else is evaluated as they are written
			const first = city.caseHouseholds();
			for (const i of first) skip.add(i);
			const caseHouseholds = first.map((i) => city.household(i));
			await inTx(caseHouseholds);
			invalidateEngine();
			engine = await loadEngine(db, now);
			evaluated.ruleVersion = engine.ruleVersion;
			worldCases = await activeCaseRefs(db, now);
			// their own colours (written before the world existed): evaluate them now, from the same facts
			const h0 = h;
			const refs0 = refs.length;
			nextPointId = 1;
			await transaction(db, async (tx) => {
				const w = cityWriters(tx, true);
				for (const hh of caseHouseholds) {
					for (const p of hh.members) {
						const ref = idHmac(key, 'resident', p.idNumber);
						evaluateInto(w, engine!, ref, p.facts, p.phone !== null, nextPointId);
						if (p.phone) nextPointId += p.facts.trajectory.length;
					}
				}
				await w.colours.flush(tx);
				await w.audit.flush(tx);
			});
			if (h !== h0 || refs.length !== refs0 || nextPointId !== points + 1) throw new Error('seed: case households miscounted');
		}
		const households = city.households();
		let index = 0;
		for (;;) {
			const block: CityHousehold[] = [];
			for (let k = 0; k < HOUSEHOLDS_PER_TX; k++) {
				const next = households.next();
				if (next.done) break;
				if (!skip.has(index++)) block.push(next.value);
			}
			if (index > 0 && block.length === 0 && index >= city.householdCount) break;
			await inTx(block);
			opts.onProgress?.('write', Math.min(index, city.householdCount), city.householdCount);
			if (index >= city.householdCount) break;
		}
	} finally {
		if (rebuild) await createTrajectoryIndexes(db, (k) => opts.onProgress?.('index', k, TRAJECTORY_INDEX_COUNT));
		if (!pg) await endSqliteBulkLoad(db, fast);
	}
	const written = performance.now();
	invalidateEngine();
	let result: RecolourResult;
	const sameCases = fast && sameSet(worldCases, await activeCaseRefs(db, now));
	if (fast && sameCases) {
		result = { ...evaluated, ms: Math.round(evaluateMs) };
	} else {
		// generic path — or the world changed after it was built (a case outside the cases' households): decide
		// everyone from the database
		if (fast) opts.onProgress?.('re-evaluate (cases moved)', 0, refs.length);
		result = await recolour(deps, refs, { actor: ACTOR, onProgress: (d, t) => opts.onProgress?.('evaluate', d, t) });
	}
	// the fast path wrote colours and audit rows in bulk, past the writers that keep the overview's counts
	await rebuildOverview(db);
	// the console map's density layer: residents by colour per grid cell, counted once here, then kept by every colour write
	await rebuildDensity(db);
	const colours = await colourCounts(db);
	const personas = [];
	for (const p of city.personas) {
		const row = await residentColour(db, idHmac(key, 'resident', p.idNumber));
		personas.push({ ...p, colour: row?.colour ?? 'unknown', reasons: row ? (JSON.parse(row.reasons_json) as string[]) : [] });
	}
	const evalMs = fast && sameCases ? evaluateMs : result.ms;
	return {
		residents: refs.length,
		households: h,
		trajectoryPoints: points,
		venues: city.venues.length,
		riskAreas: city.outbreak.riskAreas.length,
		colours,
		personas,
		recolour: result,
		evaluatedFrom: fast && sameCases ? 'generated facts' : 'database',
		// on the fast path evaluation is interleaved with writing: its share is counted in `evaluate` only
		ms: { generateAndWrite: Math.round(written - started - (fast && sameCases ? evaluateMs : 0)), evaluate: Math.round(evalMs) }
	};
}

const ACTOR = 'system/seed';

function sameSet(a: readonly string[], b: readonly string[]): boolean {
	const s = new Set(a);
	return s.size === new Set(b).size && b.every((x) => s.has(x));
}

function cellsBox(cells: readonly string[]) {
	const b = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
	for (const c of cells) {
		const x = cellBounds(c);
		if (!x) continue;
		b.west = Math.min(b.west, x.west);
		b.south = Math.min(b.south, x.south);
		b.east = Math.max(b.east, x.east);
		b.north = Math.max(b.north, x.north);
	}
	return b;
}
