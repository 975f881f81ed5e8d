/**
 * Evaluation speed on real recolour candidates, and a fingerprint of the results (docs/benchmarks.md, 1 000 000
 * residents, "What changed"): the residents the benchmark's 1 km² risk area would re-evaluate in the cached city
 * (bench/city-cache.ts, BENCH_CACHE_DIR as for `BENCH_ONLY=rules`), their facts loaded once, then evaluated in
 * the main thread REPS times (CPU per candidate); a SHA-256 over the evaluations tells whether a change to the
 * rules code changed any result. Last, the time to start two evaluation workers (evaluate-pool.ts).
 *
 *   node bin/run-ts.js scripts/evaluate-candidates.ts [RESIDENTS=100000] [REPS=3]
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openCachedCity } from '../bench/city-cache.js';
import { DEFAULT_CENTRE } from '../src/demo/city/city.js';
import { residentsInArea } from '../src/lib/server/recolour/affected.js';
import { loadEngine } from '../src/lib/server/recolour/engine.js';
import { EvaluatePool } from '../src/lib/server/recolour/evaluate-pool.js';
import { loadPersonFacts } from '../src/lib/server/recolour/load-facts.js';

const residents = Number(process.argv[2] ?? 100_000);
const reps = Number(process.argv[3] ?? 3);
const cpuMs = (since: NodeJS.ResourceUsage) => {
	const r = process.resourceUsage();
	return (r.userCPUTime + r.systemCPUTime - since.userCPUTime - since.systemCPUTime) / 1000;
};
const city = await openCachedCity({ residents, seed: 'tongxing', log: (m) => process.stderr.write(`${m}\n`) });
try {
	const now = city.meta.now + 60_000;
	// the benchmark's area (bench/recolour.ts): 1 km square, 1 km north-east of the centre, the last 7 days
	const dLat = 1000 / 111_320;
	const dLon = 1000 / (111_320 * Math.cos((DEFAULT_CENTRE.lat * Math.PI) / 180));
	const south = DEFAULT_CENTRE.lat + dLat;
	const west = DEFAULT_CENTRE.lon + dLon;
	const bbox = { west, east: west + dLon, south, north: south + dLat };
	const refs = [...(await residentsInArea(city.db, { bbox, from: now - 7 * 86_400_000, until: null }, now))];
	const engine = await loadEngine(city.db, now);
	let t = performance.now();
	const facts = await loadPersonFacts(city.db, refs, now);
	process.stdout.write(`${refs.length} candidates; facts loaded in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
	const nowSec = Math.floor(now / 1000);
	const hash = createHash('sha256');
	for (let rep = 0; rep < reps; rep++) {
		t = performance.now();
		const c = process.resourceUsage();
		for (const ref of refs) {
			const ev = engine.evaluate(facts.get(ref)!, nowSec);
			if (rep === 0) hash.update(JSON.stringify(ev));
		}
		const cpu = cpuMs(c);
		process.stdout.write(
			`evaluate: ${(performance.now() - t).toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU, ${((cpu * 1000) / refs.length).toFixed(0)} µs CPU per candidate\n`
		);
	}
	process.stdout.write(`results fingerprint: ${hash.digest('hex').slice(0, 16)}\n`);
	t = performance.now();
	const c = process.resourceUsage();
	const pool = await EvaluatePool.start(engine.rules, engine.world, 2);
	process.stdout.write(
		`two workers started in ${(performance.now() - t).toFixed(0)} ms wall, ${cpuMs(c).toFixed(0)} ms CPU (all threads)\n`
	);
	await pool?.close();
} finally {
	await city.close();
}
