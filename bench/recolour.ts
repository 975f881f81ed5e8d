/**
 * Recolour benchmark (issue 4, part of the `rules` section): recolouring after a new risk area in a seeded demo city.
 *
 * 1. Seed the city (`tongxing seed` code path: generator → bulk inserts → everyone evaluated and audited once) in a
 *    fresh temporary SQLite DATA_DIR. BENCH_RESIDENTS sets the size (default 10 000, what `npm start` seeds).
 * 2. Add a 1 km × 1 km high-risk area near the city centre, active for the last 7 days, and time createRiskArea:
 *    candidates by index range scans on trajectory_points (grid, at), their facts loaded, evaluated, changes
 *    written (resident_colours + audit). Target: ≤ 60 s for a 1 000 000-resident city.
 * 3. Baseline, same run: re-evaluating every resident with the same engine (what a non-incremental system does
 *    after any change). The ratio says what incrementality buys.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/lib/server/db/open.js';
import { KeyStore } from '../src/lib/server/keys/keystore.js';
import { initKeys } from '../src/lib/server/keys/published.js';
import { databaseSources } from '../src/lib/server/issuer/cross-check.js';
import { DEFAULT_CONFIG, type IssuerDeps } from '../src/lib/server/issuer/deps.js';
import { seedCity } from '../src/lib/server/demo/seed-city.js';
import { createRiskArea } from '../src/lib/server/recolour/risk-areas.js';
import { recolour } from '../src/lib/server/recolour/recolour.js';
import { loadEngine } from '../src/lib/server/recolour/engine.js';
import { allResidents } from '../src/lib/server/recolour/rule-sets.js';
import { DEFAULT_CENTRE } from '../src/lib/server/demo/city/city.js';
import { table } from './timing.js';

const cpuSeconds = (since: NodeJS.CpuUsage) => {
	const d = process.cpuUsage(since);
	return (d.user + d.system) / 1e6;
};

export async function recolourBench(): Promise<string> {
	const residents = Number(process.env.BENCH_RESIDENTS ?? 10_000);
	const dir = mkdtempSync(join(tmpdir(), 'tongxing-bench-rules-'));
	const opened = await openDatabase({ dataDir: dir, databaseUrl: '' });
	try {
		const now = Date.now();
		const keys = new KeyStore(dir);
		await initKeys(keys, dir, { region: '440300', validDays: 365, nowSec: Math.floor(now / 1000) - 60 });
		const deps: IssuerDeps = {
			db: opened.db,
			dataDir: dir,
			keys,
			hmacKey: new Uint8Array(randomBytes(32)),
			sms: { send: () => Promise.resolve() },
			sources: databaseSources(opened.db),
			config: { ...DEFAULT_CONFIG, region: '440300', demo: true },
			clock: () => Date.now()
		};
		process.stderr.write(`rules bench: seeding ${residents} residents…\n`);
		const cpu0 = process.cpuUsage();
		const seeded = await seedCity(deps, { residents });
		const seedCpu = cpuSeconds(cpu0);
		// a 1 km square 1 km north-east of the centre (not the outbreak site), active for the last 7 days
		const dLat = 1000 / 111_320;
		const dLon = 1000 / (111_320 * Math.cos((DEFAULT_CENTRE.lat * Math.PI) / 180));
		const s = DEFAULT_CENTRE.lat + dLat;
		const w = DEFAULT_CENTRE.lon + dLon;
		const polygon = [[w, s], [w + dLon, s], [w + dLon, s + dLat], [w, s + dLat]];
		const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
		process.stderr.write('rules bench: adding a risk area…\n');
		const t0 = performance.now();
		const cpu1 = process.cpuUsage();
		const area = await createRiskArea(deps, { name: 'bench area', level: 'high', polygon, from }, 'bench');
		const areaMs = performance.now() - t0;
		const areaCpu = cpuSeconds(cpu1);
		process.stderr.write('rules bench: baseline, everyone re-evaluated…\n');
		const t1 = performance.now();
		const cpu2 = process.cpuUsage();
		const everyone = await allResidents(deps);
		const full = await recolour(deps, everyone, { actor: 'bench', engine: await loadEngine(deps.db, Date.now()) });
		const fullMs = performance.now() - t1;
		const fullCpu = cpuSeconds(cpu2);
		// wall time, and the CPU time this process got (on a shared machine the wall time also counts waiting)
		const rows = [
			['seed: generate + write', `${seeded.residents} residents, ${seeded.trajectoryPoints} points`, `${(seeded.ms.generateAndWrite / 1000).toFixed(1)} s`, `${seedCpu.toFixed(1)} s (seed total)`, ''],
			['seed: evaluate + audit everyone', `${seeded.recolour.evaluated} evaluated`, `${(seeded.ms.evaluate / 1000).toFixed(1)} s`, '', ''],
			['new risk area → recolour affected (incremental)', `${area.recoloured.evaluated} evaluated, ${area.recoloured.changed} changed`, `${(areaMs / 1000).toFixed(2)} s`, `${areaCpu.toFixed(2)} s`, '1.0×'],
			['baseline: re-evaluate everyone', `${full.evaluated} evaluated, ${full.changed} changed`, `${(fullMs / 1000).toFixed(2)} s`, `${fullCpu.toFixed(2)} s`, `${(fullCpu / areaCpu).toFixed(1)}× the CPU`]
		];
		const colours = Object.entries(seeded.colours).map(([c, n]) => `${c} ${n}`).join(', ');
		return [
			'## Rules: recolouring (data-sources issue)',
			'',
			`### Recolour after a new 1 km² high-risk area, ${residents} residents (SQLite, in-process)`,
			'',
			table(['step', 'residents', 'wall time', 'CPU time', 'vs incremental'], rows),
			'',
			`Seeded colours: ${colours}. Area transitions: ${JSON.stringify(area.recoloured.transitions)}.`,
			''
		].join('\n');
	} finally {
		await opened.close();
		rmSync(dir, { recursive: true, force: true });
	}
}
