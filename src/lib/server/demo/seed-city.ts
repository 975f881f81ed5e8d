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
import { sql, PostgresAdapter } from 'kysely';
import type { IssuerDeps } from '../issuer/deps.js';
import { nameHmac } from '../issuer/cross-check.js';
import { idHmac } from '../issuer/people.js';
import { keyedHash } from '../secrets.js';
import { BulkInserter } from '../db/bulk.js';
import { gridOf, bboxOf } from '../geo/grid.js';
import { cellBounds } from '../../core/rules/grid.js';
import { generateCity } from './city/city.js';
import type { City, CityPersona } from './city/types.js';
import { recolour, type RecolourResult } from '../recolour/recolour.js';
import { invalidateEngine } from '../recolour/engine.js';

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
	ms: { generateAndWrite: number; evaluate: number };
}

const HOUSEHOLDS_PER_TX = 5000;
const TRAJECTORY_INDEXES = [
	{ name: 'trajectory_points_phone_at', columns: ['phone_hmac', 'at'] },
	{ name: 'trajectory_points_at', columns: ['at'] },
	{ name: 'trajectory_points_grid_at', columns: ['grid', 'at'] }
] as const;
const ms = (s: number) => s * 1000;

/** True when the database already holds a city (or any resident colour): seeding again would duplicate facts. */
export async function isSeeded(deps: IssuerDeps): Promise<boolean> {
	const row = await deps.db.selectFrom('resident_colours').select('ref').limit(1).executeTakeFirst();
	const pts = await deps.db.selectFrom('trajectory_points').select('id').limit(1).executeTakeFirst();
	return row !== undefined || pts !== undefined;
}

export async function seedCity(deps: IssuerDeps, opts: SeedOptions = {}): Promise<SeedResult> {
	const db = deps.db;
	const now = deps.clock();
	const started = performance.now();
	const city: City = generateCity({ start: Math.floor(now / 1000), ...(opts.residents ? { residents: opts.residents } : {}), ...(opts.seed ? { seed: opts.seed } : {}) });
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	if (!pg) await sql`pragma synchronous = off`.execute(db);
	// Into an empty table, building the trajectory indexes once after the load (a sort) is much cheaper than
	// maintaining three of them row by row. Same definitions as migrations 001 and 004; restored in `finally`.
	const rebuild = (await db.selectFrom('trajectory_points').select('id').limit(1).executeTakeFirst()) === undefined;
	if (rebuild) for (const name of TRAJECTORY_INDEXES.map((i) => i.name)) await db.schema.dropIndex(name).ifExists().execute();
	const key = deps.hmacKey;
	const refs: string[] = [];
	let points = 0;
	let h = 0;
	try {
		await db.transaction().execute(async (tx) => {
			for (const v of city.venues) {
				await tx
					.insertInto('venues')
					.values({ id: v.id, name: v.nameZh, region: v.region, policy_json: JSON.stringify({ policy: v.policy }), created_at: now })
					.onConflict((oc) => oc.column('id').doNothing())
					.execute();
			}
			for (const a of city.outbreak.riskAreas) {
				const bbox = a.shape.type === 'polygon' ? bboxOf(a.shape.ring) : cellsBox(a.shape.cells);
				await tx
					.insertInto('risk_areas')
					.values({
						id: a.id,
						name: a.id,
						level: a.level,
						shape_json: JSON.stringify(a.shape),
						bbox_west: bbox.west,
						bbox_south: bbox.south,
						bbox_east: bbox.east,
						bbox_north: bbox.north,
						from_at: ms(a.from),
						until_at: a.until === undefined ? null : ms(a.until),
						created_at: now,
						created_by: 'system/seed'
					})
					.onConflict((oc) => oc.column('id').doNothing())
					.execute();
			}
		});
		const households = city.households();
		for (;;) {
			let done = false;
			await db.transaction().execute(async (tx) => {
				const register = new BulkInserter(tx, 'household_register', ['id_hmac', 'name_hmac', 'region', 'household_id', 'updated_at'], 'on conflict (id_hmac) do update set name_hmac = excluded.name_hmac, region = excluded.region, household_id = excluded.household_id');
				const phones = new BulkInserter(tx, 'phone_registry', ['phone_hmac', 'id_hmac', 'updated_at'], 'on conflict (phone_hmac) do update set id_hmac = excluded.id_hmac');
				const traj = new BulkInserter(tx, 'trajectory_points', ['phone_hmac', 'at', 'lat', 'lon', 'cell', 'accuracy_m', 'grid']);
				const visits = new BulkInserter(tx, 'venue_visits', ['id', 'ref', 'venue_id', 'at'], 'on conflict (id) do nothing');
				const tests = new BulkInserter(tx, 'health_tests', ['id', 'ref', 'sampled_at', 'result', 'received_at'], 'on conflict (id) do nothing');
				const cases = new BulkInserter(tx, 'cases', ['id', 'ref', 'confirmed_at', 'released_at', 'received_at'], 'on conflict (id) do nothing');
				const orders = new BulkInserter(tx, 'quarantine_orders', ['id', 'ref', 'from_at', 'until_at', 'received_at'], 'on conflict (id) do nothing');
				const contacts = new BulkInserter(tx, 'contacts', ['id', 'ref', 'kind', 'to_ref', 'exposed_at', 'received_at'], 'on conflict (id) do nothing');
				for (let k = 0; k < HOUSEHOLDS_PER_TX; k++) {
					const next = households.next();
					if (next.done) {
						done = true;
						break;
					}
					const hh = next.value;
					h++;
					for (const p of hh.members) {
						const ref = idHmac(key, 'resident', p.idNumber);
						refs.push(ref);
						await register.add(tx, [ref, nameHmac(key, p.name), hh.region, hh.id, now]);
						const f = p.facts;
						if (p.phone) {
							const phone = keyedHash(key, 'phone', p.phone);
							await phones.add(tx, [phone, ref, now]);
							for (const t of f.trajectory) await traj.add(tx, [phone, ms(t.at), t.lat, t.lon, null, t.accuracyM, gridOf(t.lat, t.lon)]);
							points += f.trajectory.length;
						}
						for (const v of f.visits) await visits.add(tx, [v.id, ref, v.venueId, ms(v.at)]);
						for (const t of f.tests) await tests.add(tx, [t.id, ref, ms(t.sampledAt), t.result, now]);
						for (const c of f.cases) await cases.add(tx, [c.id, ref, ms(c.confirmedAt), c.releasedAt === undefined ? null : ms(c.releasedAt), now]);
						for (const q of f.quarantine) await orders.add(tx, [q.id, ref, ms(q.from), ms(q.until), now]);
						for (const c of f.contacts) await contacts.add(tx, [c.id, ref, c.kind, idHmac(key, 'resident', c.to), ms(c.exposedAt), now]);
					}
				}
				for (const b of [register, phones, traj, visits, tests, cases, orders, contacts]) await b.flush(tx);
			});
			opts.onProgress?.('write', h, city.householdCount);
			if (done) break;
		}
	} finally {
		if (rebuild) for (const i of TRAJECTORY_INDEXES) await db.schema.createIndex(i.name).ifNotExists().on('trajectory_points').columns([...i.columns]).execute();
		if (!pg) await sql`pragma synchronous = normal`.execute(db);
	}
	const written = performance.now();
	invalidateEngine();
	const result = await recolour(deps, refs, { actor: 'system/seed', onProgress: (d, t) => opts.onProgress?.('evaluate', d, t) });
	const colours: Record<string, number> = {};
	for (const r of await db.selectFrom('resident_colours').select(['colour', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('colour').execute()) colours[r.colour] = Number(r.n);
	const personas = [];
	for (const p of city.personas) {
		const row = await db.selectFrom('resident_colours').select(['colour', 'reasons_json']).where('ref', '=', idHmac(key, 'resident', p.idNumber)).executeTakeFirst();
		personas.push({ ...p, colour: row?.colour ?? 'unknown', reasons: row ? (JSON.parse(row.reasons_json) as string[]) : [] });
	}
	return {
		residents: refs.length,
		households: h,
		trajectoryPoints: points,
		venues: city.venues.length,
		riskAreas: city.outbreak.riskAreas.length,
		colours,
		personas,
		recolour: result,
		ms: { generateAndWrite: Math.round(written - started), evaluate: result.ms }
	};
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
