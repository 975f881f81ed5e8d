/**
 * Console map benchmark (issue 15): BENCH_ONLY=map npm run bench.
 *
 * What GET /api/v1/console/map costs on the 1 000 000-resident demo city: its payload (raw and gzip, in total and the
 * density layer alone; target ≤ 200 kB gzip) and its server time (mapLayers(), the whole answer, p50 / p95), then what
 * keeping the density aggregate costs: a full recount (seed, `tongxing map density`) and the per-write upkeep inside
 * writeColours (the same recolour batch with and without residents' home cells).
 *
 * The city: the answer's size depends on the region's geometry (districts, venues, cell sites, risk areas) and on
 * how many grid cells have residents — not on anyone's trajectory. So by default the bench writes the 1 000 000-resident
 * city's geography as the seed does (generateCity: its venues, carrier cells, outbreak risk areas, district outlines)
 * and every resident's home cell (City.home(h): the generator's own homes, without generating lives), each resident
 * with a colour drawn at the 10 000-resident demo city's mix (87.4 % green, 10.5 % yellow, 2.1 % red) — minutes
 * instead of the hour a full seed takes. BENCH_MAP_CACHED=1 uses the full cached city of bench/city-cache.ts instead
 * (seeding it first if there is none: most of an hour).
 * BENCH_MAP_RESIDENTS (default 1 000 000) changes the size. The temporary directory is deleted afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { openDatabase } from '../src/lib/server/store/open.js';
import { KeyStore } from '../src/lib/server/keys/keystore.js';
import { databaseSources } from '../src/lib/server/issuer/cross-check.js';
import { DEFAULT_CONFIG, type IssuerDeps } from '../src/lib/server/issuer/deps.js';
import { idHmac } from '../src/lib/server/issuer/people.js';
import { BulkInserter } from '../src/lib/server/store/bulk.js';
import { transaction } from '../src/lib/server/store/db.js';
import { insertCellSitesIfAbsent } from '../src/lib/server/store/demo-seed.js';
import { insertVenueIfAbsent } from '../src/lib/server/store/venues.js';
import { insertRiskAreaIfAbsent } from '../src/lib/server/store/risk-areas-for-seed.js';
import { insertDistrictsIfNone, upsertVenuePlaces } from '../src/lib/server/store/map-layers.js';
import { applyDensityChanges, densityBefore, rebuildDensity } from '../src/lib/server/store/map-density.js';
import { writeColours, type ColourChange } from '../src/lib/server/store/resident-colours.js';
import { gridOf, bboxOf } from '../src/lib/server/geo/grid.js';
import { districtRow } from '../src/lib/server/map/districts.js';
import { mapLayers } from '../src/lib/server/map/map-layers.js';
import { cityDistricts } from '../src/demo/city/districts.js';
import { generateCity } from '../src/demo/city/city.js';
import { hash32 } from '../src/demo/city/prng.js';
import { openCachedCity } from './city-cache.js';
import { table } from './timing.js';

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const load = () =>
	loadavg()
		.map((x) => x.toFixed(2))
		.join(', ');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

/** The 10 000-resident demo city's colour mix (seed output), used for the synthetic colours. */
function colourOf(ref: string): 'green' | 'yellow' | 'red' {
	const u = hash32(ref) / 2 ** 32;
	return u < 0.021 ? 'red' : u < 0.126 ? 'yellow' : 'green';
}

async function writeGeography(deps: IssuerDeps, residents: number, log: (m: string) => void): Promise<void> {
	const now = deps.clock();
	const city = generateCity({ start: Math.floor(now / 1000), residents });
	await transaction(deps.db, async (tx) => {
		await insertCellSitesIfAbsent(
			tx,
			city.cells.map((c) => [c.id, c.lat, c.lon, c.radiusM] as const)
		);
		for (const v of city.venues)
			await insertVenueIfAbsent(tx, {
				id: v.id,
				name: v.nameZh,
				region: v.region,
				policy_json: JSON.stringify({ policy: v.policy }),
				created_at: now
			});
		await upsertVenuePlaces(
			tx,
			city.venues.map((v) => [v.id, v.lat, v.lon, v.radiusM] as const)
		);
		await insertDistrictsIfNone(
			tx,
			cityDistricts(city.options).map((d) => districtRow({ ...d, polygons: [[d.ring]] }, 'demo', now))
		);
		for (const a of city.outbreak.riskAreas) {
			if (a.shape.type !== 'polygon') continue;
			const b = bboxOf(a.shape.ring);
			await insertRiskAreaIfAbsent(tx, {
				id: a.id,
				name: a.id,
				level: a.level,
				shape_json: JSON.stringify(a.shape),
				bbox_west: b.west,
				bbox_south: b.south,
				bbox_east: b.east,
				bbox_north: b.north,
				from_at: a.from * 1000,
				until_at: a.until === undefined ? null : a.until * 1000,
				created_at: now,
				created_by: 'bench'
			});
		}
	});
	let person = 0;
	const BLOCK = 20_000;
	for (let h0 = 0; h0 < city.householdCount; h0 += BLOCK) {
		await transaction(deps.db, async (tx) => {
			const places = new BulkInserter(tx, 'resident_places', ['ref', 'grid', 'updated_at']);
			const colours = new BulkInserter(tx, 'resident_colours', [
				'ref',
				'colour',
				'reasons_json',
				'rule_version',
				'updated_at',
				'review_at',
				'explain_json'
			]);
			for (let h = h0; h < Math.min(city.householdCount, h0 + BLOCK); h++) {
				const home = city.home(h);
				const grid = gridOf(home.lat, home.lon);
				for (let m = 0; m < home.members; m++) {
					const ref = idHmac(deps.hmacKey, 'resident', `bench-${person++}`);
					places.push([ref, grid, now]);
					colours.push([ref, colourOf(ref), '[]', 'bench', now, null, null]);
				}
				await places.drain(tx);
				await colours.drain(tx);
			}
			await places.flush(tx);
			await colours.flush(tx);
		});
		log(`map bench: ${person} residents placed`);
	}
}

export async function mapBench(): Promise<string> {
	const residents = Number(process.env.BENCH_MAP_RESIDENTS ?? 1_000_000);
	const log = (m: string) => process.stderr.write(`${m}\n`);
	const cached = process.env.BENCH_MAP_CACHED === '1';
	const dir = mkdtempSync(join(tmpdir(), 'tongxing-bench-map-'));
	const now = Date.UTC(2026, 11, 1, 4, 0, 0);
	let close: () => Promise<void>;
	let deps: IssuerDeps;
	let how: string;
	const t0 = performance.now();
	if (cached) {
		const city = await openCachedCity({ residents, seed: 'tongxing', log });
		deps = {
			db: city.db,
			dataDir: city.dir,
			keys: new KeyStore(city.dir),
			hmacKey: city.hmacKey,
			phoneKey: new Uint8Array(32).fill(9),
			sms: { name: 'none', send: () => Promise.resolve() },
			sources: databaseSources(city.db),
			config: { ...DEFAULT_CONFIG, region: '440300', demo: true },
			clock: () => city.meta.now
		};
		close = () => city.close();
		how = `the cached full demo city (${city.meta.residents} residents, ${city.meta.points} trajectory points; bench/city-cache.ts)`;
	} else {
		const opened = await openDatabase({ dataDir: dir, databaseUrl: '' });
		deps = {
			db: opened.db,
			dataDir: dir,
			keys: new KeyStore(dir),
			hmacKey: new Uint8Array(32).fill(7),
			phoneKey: new Uint8Array(32).fill(9),
			sms: { name: 'none', send: () => Promise.resolve() },
			sources: databaseSources(opened.db),
			config: { ...DEFAULT_CONFIG, region: '440300', demo: true },
			clock: () => now
		};
		close = () => opened.close();
		log(`map bench: writing the ${residents}-resident city's geography and home cells (load average ${load()})…`);
		await writeGeography(deps, residents, log);
		how = `the ${residents}-resident demo city's geography and every resident's home cell (City.home), colours at the demo mix`;
	}
	const setupMs = performance.now() - t0;
	try {
		const r0 = performance.now();
		const densityRows = await rebuildDensity(deps.db);
		const rebuildMs = performance.now() - r0;

		const times: number[] = [];
		let body = '';
		for (let i = 0; i < 30; i++) {
			const s = performance.now();
			body = JSON.stringify(await mapLayers(deps));
			times.push(performance.now() - s);
		}
		const answer = JSON.parse(body) as {
			density: { cells: { features: unknown[] } };
			venues: { features: unknown[] };
			cells: { features: unknown[] };
			districts: { features: unknown[] };
		};
		const density = JSON.stringify(answer.density);
		const gz = gzipSync(body, { level: 6 }).length;
		const gzDensity = gzipSync(density, { level: 6 }).length;

		// the upkeep: 5 000 residents change colour and back, their counts moved in map_density inside writeColours
		const refs = (await deps.db.selectFrom('resident_places').select('ref').orderBy('ref').limit(5000).execute()).map((r) => r.ref);
		const flip = (to: string): ColourChange[] =>
			refs.map((ref) => ({ ref, colour: to, previous: null, reasons: [], ruleVersion: 'bench', factsUsed: [], reviewAt: null }));
		const w1 = performance.now();
		await transaction(deps.db, (tx) => writeColours(tx, flip('yellow'), now, 'bench'));
		const withPlaces = performance.now() - w1;
		const w2 = performance.now();
		await transaction(deps.db, (tx) => writeColours(tx, flip('green'), now, 'bench'));
		const withPlaces2 = performance.now() - w2;
		// the upkeep alone (what writeColours adds per batch: read old colours and cells, move the counts), same 5 000
		const u = performance.now();
		await transaction(deps.db, async (tx) => {
			for (let i = 0; i < refs.length; i += 500) {
				const part = refs.slice(i, i + 500);
				const before = await densityBefore(tx, part);
				await applyDensityChanges(
					tx,
					before,
					part.map((ref) => ({ ref, colour: 'red' }))
				);
				// and back, so the aggregate still matches the stored colours
				const moved = new Map([...before].map(([ref, b]) => [ref, { colour: 'red', grid: b.grid }]));
				await applyDensityChanges(
					tx,
					moved,
					part.map((ref) => ({ ref, colour: before.get(ref)!.colour! }))
				);
			}
		});
		const upkeepMs = (performance.now() - u) / 2;
		const after = await deps.db.selectFrom('map_density').select(['grid', 'colour', 'residents']).execute();
		const total = after.reduce((sum, r) => sum + Number(r.residents), 0);
		if (
			total !==
			(
				await deps.db
					.selectFrom('resident_colours')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).n
		)
			throw new Error('map bench: the density aggregate no longer adds up to the residents');

		const rows = [
			['payload (whole answer)', kB(body.length), `**${kB(gz)}**`],
			['— density layer alone', kB(density.length), `**${kB(gzDensity)}**`]
		];
		return [
			`## Console map (GET /api/v1/console/map)`,
			'',
			`City: ${how}; set up in ${(setupMs / 1000).toFixed(1)} s. Load average ${load()}.`,
			`Layers: ${answer.districts.features.length} districts, ${answer.venues.features.length} venues, ${answer.cells.features.length} cell sites, ` +
				`${answer.density.cells.features.length} occupied 0.01° grid cells (${densityRows} (cell, colour) rows in map_density).`,
			'',
			table(['', 'raw', 'gzip (level 6)'], rows),
			'',
			`Target ≤ 200 kB gzip: ${gz <= 200_000 ? 'met' : 'NOT met'}. Server time of the whole answer (mapLayers + JSON, 30 runs): ` +
				`p50 ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms.`,
			`Keeping the aggregate: a full recount (seed, \`tongxing map density\`) ${(rebuildMs / 1000).toFixed(2)} s; ` +
				`writeColours of 5 000 colour changes, upkeep included, ${withPlaces.toFixed(0)} ms and ${withPlaces2.toFixed(0)} ms (two runs); ` +
				`the upkeep alone for 5 000 changes ${upkeepMs.toFixed(0)} ms.`
		].join('\n');
	} finally {
		await close();
		rmSync(dir, { recursive: true, force: true });
	}
}
