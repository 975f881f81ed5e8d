/**
 * How long a rules preview takes on a seeded city, in worker threads and in the main thread (docs/benchmarks.md,
 * "Rules preview"). Uses the benchmark's cached city (bench/city-cache.ts; seeded on first use, BENCH_CACHE_DIR
 * as for `BENCH_ONLY=rules`); the proposed rules switch the spatiotemporal-companion rule off.
 *
 *   node bin/run-ts.js scripts/preview-timing.ts [RESIDENTS=100000]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCachedCity } from '../bench/city-cache.js';
import { DEFAULT_RULES } from '../src/lib/core/rules/default-rules.js';
import { databaseSources } from '../src/lib/server/issuer/cross-check.js';
import { DEFAULT_CONFIG, type IssuerDeps } from '../src/lib/server/issuer/deps.js';
import { KeyStore } from '../src/lib/server/keys/keystore.js';
import { previewRules } from '../src/lib/server/recolour/rule-sets.js';
import { workerCount } from '../src/lib/server/recolour/evaluate-pool.js';

const residents = Number(process.argv[2] ?? 100_000);
const city = await openCachedCity({ residents, seed: 'tongxing', log: (m) => process.stderr.write(`${m}\n`) });
const keysDir = mkdtempSync(join(tmpdir(), 'tongxing-preview-keys-'));
try {
	const now = city.meta.now + 60_000;
	const deps: IssuerDeps = {
		db: city.db,
		dataDir: city.dir,
		keys: new KeyStore(keysDir),
		hmacKey: city.hmacKey,
		// no accounts in a cached city: a throwaway phone key
		phoneKey: new Uint8Array(randomBytes(32)),
		sms: { name: 'none', send: () => Promise.resolve() },
		sources: databaseSources(city.db),
		config: { ...DEFAULT_CONFIG, region: '440300', demo: true },
		clock: () => now
	};
	const companion = DEFAULT_RULES.rules['spatiotemporal-companion'];
	const next = {
		...DEFAULT_RULES,
		version: 'preview-timing',
		rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...companion, active: false } }
	};
	process.stdout.write(
		`load average before: ${loadavg()
			.map((x) => x.toFixed(2))
			.join(', ')}\n`
	);
	for (const workers of [Math.max(2, workerCount()), 0]) {
		const t = performance.now();
		const c = process.resourceUsage();
		const d = await previewRules(deps, next, { workers });
		const r = process.resourceUsage();
		const cpu = (r.userCPUTime + r.systemCPUTime - c.userCPUTime - c.systemCPUTime) / 1e6;
		process.stdout.write(
			`${workers ? `${workers} worker threads` : 'main thread'}: ${d.total} residents, ${d.changed} would change — ${((performance.now() - t) / 1000).toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU\n`
		);
	}
} finally {
	await city.close();
	rmSync(keysDir, { recursive: true, force: true });
}
