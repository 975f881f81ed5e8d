/**
 * Recolour benchmark (issue 4, part of the `rules` section): recolouring after a new risk area in a seeded demo city.
 *
 * 1. The city (`tongxing seed` code path: generator → bulk inserts → everyone evaluated and audited once) in a
 *    SQLite DATA_DIR that is CACHED across runs (bench/city-cache.ts): BENCH_RESIDENTS (default 1 000 000) and
 *    BENCH_CITY_SEED pick it; it is rebuilt when the generator, the seed writer, the rules or the schema changed.
 *    The seed time is printed when it was built in this run, "reused" otherwise.
 * 2. Add a 1 km × 1 km high-risk area near the city centre, active for the 7 days before the city's seed time,
 *    and time createRiskArea: candidates by index range scans on trajectory_points (grid, at, lat, lon), their
 *    facts loaded, evaluated (in worker threads: evaluate-pool.ts; TONGXING_WORKERS=0 for the main thread), changes
 *    written (resident_colours + audit). Target: ≤ 60 s at 1 000 000 residents.
 *    The clock is the city's seed time (+ 1 min), so every run measures the same thing however old the cache is.
 * 3. Baseline, same run: re-evaluating every resident with the same engine (what a non-incremental system does
 *    after any change). Above BENCH_BASELINE_RESIDENTS (default 20 000) only that many residents (a uniform sample:
 *    refs are keyed hashes) are re-evaluated and the time is scaled to the whole city — printed as such.
 * 4. Undo (bench/city-cache.ts): the area, the audit rows and the colours it changed are put back, so the next run
 *    starts from the same state.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KeyStore } from '../src/lib/server/keys/keystore.js';
import { initKeys } from '../src/lib/server/keys/published.js';
import { databaseSources } from '../src/lib/server/issuer/cross-check.js';
import { DEFAULT_CONFIG, type IssuerDeps } from '../src/lib/server/issuer/deps.js';
import { createRiskArea } from '../src/lib/server/recolour/risk-areas.js';
import { recolour } from '../src/lib/server/recolour/recolour.js';
import { loadEngine } from '../src/lib/server/recolour/engine.js';
import { allResidents } from '../src/lib/server/recolour/rule-sets.js';
import { DEFAULT_CENTRE } from '../src/demo/city/city.js';
import { openCachedCity, type CachedCity } from './city-cache.js';
import { table } from './timing.js';

const cpuSeconds = (since: NodeJS.CpuUsage) => {
	const d = process.cpuUsage(since);
	return (d.user + d.system) / 1e6;
};
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** 1, 5 and 15 minute load averages: the machine is shared, so every number is printed with it */
const load = () =>
	loadavg()
		.map((x) => x.toFixed(2))
		.join(', ');

export async function recolourBench(): Promise<string> {
	const residents = Number(process.env.BENCH_RESIDENTS ?? 1_000_000);
	const seed = process.env.BENCH_CITY_SEED ?? 'tongxing';
	const sampleMax = Number(process.env.BENCH_BASELINE_RESIDENTS ?? 20_000);
	const city: CachedCity = await openCachedCity({ residents, seed, log: (m) => process.stderr.write(`rules bench: ${m}\n`) });
	const keysDir = mkdtempSync(join(tmpdir(), 'tongxing-bench-keys-'));
	try {
		const now = city.meta.now + 60_000;
		const keys = new KeyStore(keysDir);
		await initKeys(keys, keysDir, { region: '440300', validDays: 365, nowSec: Math.floor(now / 1000) - 60 });
		const deps: IssuerDeps = {
			db: city.db,
			dataDir: city.dir,
			keys,
			hmacKey: city.hmacKey,
			// no accounts in a cached city: a throwaway phone key
			phoneKey: new Uint8Array(randomBytes(32)),
			sms: { name: 'none', send: () => Promise.resolve() },
			sources: databaseSources(city.db),
			config: { ...DEFAULT_CONFIG, region: '440300', demo: true },
			// a fixed clock: the city's seed time, so a cached city is measured the same way whenever it is reused
			clock: () => now
		};
		// a 1 km square 1 km north-east of the centre (not the outbreak site), active for the last 7 days
		const dLat = 1000 / 111_320;
		const dLon = 1000 / (111_320 * Math.cos((DEFAULT_CENTRE.lat * Math.PI) / 180));
		const s = DEFAULT_CENTRE.lat + dLat;
		const w = DEFAULT_CENTRE.lon + dLon;
		const polygon = [
			[w, s],
			[w + dLon, s],
			[w + dLon, s + dLat],
			[w, s + dLat]
		];
		const from = new Date(now - 7 * 86_400_000).toISOString();
		const mark = await city.beginMeasurement();
		try {
			process.stderr.write(`rules bench: adding a risk area (load average ${load()})…\n`);
			const loadBefore = load();
			const t0 = performance.now();
			const cpu1 = process.cpuUsage();
			const area = await createRiskArea(deps, { name: 'bench area', level: 'high', polygon, from }, 'bench');
			const areaMs = performance.now() - t0;
			const areaCpu = cpuSeconds(cpu1);
			process.stderr.write(`rules bench: ${area.recoloured.evaluated} evaluated in ${s1(areaMs)}; baseline, everyone re-evaluated…\n`);
			const everyone = await allResidents(deps);
			const sample = everyone.length > sampleMax ? everyone.slice(0, sampleMax) : everyone;
			const scale = everyone.length / sample.length;
			const t1 = performance.now();
			const cpu2 = process.cpuUsage();
			const full = await recolour(deps, sample, { actor: 'bench', engine: await loadEngine(deps.db, now) });
			const fullMs = (performance.now() - t1) * scale;
			const fullCpu = cpuSeconds(cpu2) * scale;
			const loadAfter = load();
			const m = city.meta;
			const seedRow = city.builtNow
				? [
						[
							'seed (built in this run): generate + write + index',
							`${m.residents} residents, ${m.points} points`,
							s1(m.ms.generateAndWrite),
							`${m.cpuSeconds.toFixed(0)} s (seed total)`,
							''
						],
						[
							'seed: evaluate + audit everyone (while writing)',
							`${m.residents} evaluated, from the ${m.evaluatedFrom}`,
							s1(m.ms.evaluate),
							'',
							''
						]
					]
				: [['seed', `reused (built ${m.builtAt}: ${s1(m.ms.generateAndWrite + m.ms.evaluate)})`, '', '', '']];
			const sampled = sample.length < everyone.length;
			const rows = [
				...seedRow,
				[
					'new risk area → recolour affected (incremental)',
					`${area.recoloured.evaluated} evaluated, ${area.recoloured.changed} changed`,
					`${(areaMs / 1000).toFixed(2)} s`,
					`${areaCpu.toFixed(2)} s`,
					'1.0×'
				],
				[
					sampled ? `baseline: re-evaluate everyone (${sample.length} measured, × ${scale.toFixed(0)})` : 'baseline: re-evaluate everyone',
					`${everyone.length} residents${sampled ? ` (${full.evaluated} evaluated, ${full.changed} changed)` : `, ${full.changed} changed`}`,
					`${(fullMs / 1000).toFixed(sampled ? 0 : 2)} s`,
					`${fullCpu.toFixed(sampled ? 0 : 2)} s`,
					`${(fullCpu / areaCpu).toFixed(1)}× the CPU`
				]
			];
			const colours = Object.entries(m.colours)
				.map(([c, n]) => `${c} ${n}`)
				.join(', ');
			return [
				'## Rules: recolouring (data-sources issue)',
				'',
				`### Recolour after a new 1 km² high-risk area, ${m.residents} residents (SQLite, one process: ${area.recoloured.workers ? `evaluation in ${area.recoloured.workers} worker threads` : 'evaluation in the main thread'})`,
				'',
				table(['step', 'residents', 'wall time', 'CPU time', 'vs incremental'], rows),
				'',
				`Load average (1, 5, 15 min) before the area: ${loadBefore}; after the baseline: ${loadAfter}. City cache: ${city.dir} (${(m.dbBytes / 1e9).toFixed(1)} GB on disk${city.builtNow ? `, seed peak RSS ${m.maxRssMB} MB` : ''}).`,
				`Seeded colours: ${colours}. Area transitions: ${JSON.stringify(area.recoloured.transitions)}.`,
				...city.staleness.map((x) => `Note: ${x}.`),
				...(city.rulesChanged
					? [
							'',
							'Note: the rules sources changed since this city was seeded; stored colours may be stale, so "changed" may include the rules change (BENCH_CITY_REBUILD=1 reseeds).'
						]
					: []),
				''
			].join('\n');
		} finally {
			await city.undo(mark);
		}
	} finally {
		await city.close();
		rmSync(keysDir, { recursive: true, force: true });
	}
}
