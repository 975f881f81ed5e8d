/**
 * npm run bench — prints markdown and writes bench/out/latest.md. Sections: core, server (bench/server.ts: builds
 * if build/ lacks the bench route, then runs `node build`; about 2 minutes), rules (bench/rules.ts: evaluate() micro-benchmark;
 * bench/recolour.ts: a demo city of BENCH_RESIDENTS, default 1 000 000, seeded once and cached (bench/city-cache.ts; tens of
 * GB under BENCH_CACHE_DIR, default <tmpdir>/tongxing-bench-city; the first run seeds for most of an hour), then times
 * recolouring after a new risk area and puts the city back),
 * accuracy (bench/rules-accuracy.ts: grid vs precise companions on the demo city; BENCH_CITY_RESIDENTS, default 100 000),
 * map (bench/map.ts: the console map's payload and server time on the 1 000 000-resident city), scanner (bench/scanner.ts: the /scan page with a fake camera; needs build/; about 2 minutes), imports (bench/imports.ts: /me/codes p99 at 50 req/s
 * without and during a 1 000 000-row trajectory import, BENCH_IMPORT_ROWS; a few minutes), resident (bench/resident.ts:
 * the PWA in Chromium, offline navigation → QR, bytes per display, first-load size; about 1 minute), overview (bench/overview.ts:
 * the console overview's server time p95 at a fixed rate on the cached city of BENCH_RESIDENTS), tracing (bench/tracing.ts: contact
 * tracing's query for the newest cases on the cached city; BENCH_TRACING_RESIDENTS).
 * the PWA in Chromium, offline navigation → QR, bytes per display, first-load size; about 1 minute), federation-facts
 * (bench/federation-facts.ts: facts per second through the gateway, fact in A → recoloured in B latency; about 2 minutes),
 * sqlite-sync (bench/sqlite-synchronous.ts: TONGXING_SQLITE_SYNCHRONOUS full against normal on the commit-heavy paths; about a minute).
 * BENCH_ONLY=server npm run bench (comma-separated section names) runs only those sections (→ bench/out/latest-server.md).
 * Copy the tables into docs/benchmarks.md when they change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { coreBench } from './core.js';
import { residentBench } from './resident.js';
import { scannerBench } from './scanner.js';
import { serverBench } from './server.js';
import { rulesBench } from './rules.js';
import { recolourBench } from './recolour.js';
import { accuracyBench } from './rules-accuracy.js';
import { importsBench } from './imports.js';
import { caseImportBench } from './case-import.js';
import { overviewBench } from './overview.js';
import { mapBench } from './map.js';
import { tracingBench } from './tracing.js';
import { federationFactsBench } from './federation-facts.js';
import { federationBench } from './federation.js';
import { sqliteSyncBench } from './sqlite-synchronous.js';

const started = new Date();
const all: [string, () => Promise<string>][] = [
	['core', coreBench],
	['server', serverBench],
	['imports', importsBench],
	['rules', async () => `${await rulesBench()}\n${await recolourBench()}`],
	['accuracy', accuracyBench],
	['case-import', caseImportBench],
	['overview', overviewBench],
	['map', mapBench],
	['tracing', tracingBench],
	['federation-facts', federationFactsBench],
	['federation', federationBench],
	['sqlite-sync', sqliteSyncBench],
	['resident', residentBench],
	['scanner', scannerBench]
];
const only = process.env.BENCH_ONLY?.split(',')
	.map((x) => x.trim())
	.filter(Boolean);
const unknown = only?.filter((name) => !all.some(([n]) => n === name)) ?? [];
if (unknown.length) throw new Error(`BENCH_ONLY: unknown section(s) ${unknown.join(', ')}; sections: ${all.map(([n]) => n).join(', ')}`);
const sections: string[] = [];
for (const [name, run] of all) if (!only || only.includes(name)) sections.push(await run());
const header = `# Benchmark run ${started.toISOString()}\n\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.\n`;
const report = [header, ...sections].join('\n');
process.stdout.write(report + '\n');
const out = join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });
// A partial run (BENCH_ONLY) does not overwrite the full report.
writeFileSync(join(out, only ? `latest-${only.join('+')}.md` : 'latest.md'), report + '\n');
