/**
 * BENCH_ONLY=tracing npm run bench — contact tracing's query (POST /api/v1/console/tracing/query, issue 15) on the
 * cached demo city (bench/city-cache.ts; BENCH_RESIDENTS, default 1 000 000 — BENCH_TRACING_RESIDENTS overrides it
 * for this section only).
 *
 * Times `traceCase` (server/tracing/trace.ts: the whole service call, reads, overlap judging, masking, the audit
 * row) for the BENCH_TRACING_CASES (default 6) newest confirmed cases with their default windows, each run inside
 * a transaction that is rolled back, so the audit rows it writes do not stay in the cached city. The clock is the
 * city's seed time, as in bench/recolour.ts.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { databaseSources } from '../src/lib/server/issuer/cross-check.js';
import { DEFAULT_CONFIG, type IssuerDeps } from '../src/lib/server/issuer/deps.js';
import { KeyStore } from '../src/lib/server/keys/keystore.js';
import type { Database } from '../src/lib/server/store/schema.js';
import { traceCase, tracingCases } from '../src/lib/server/tracing/trace.js';
import type { TracingResult } from '../src/lib/core/contract/tracing.js';
import { openCachedCity } from './city-cache.js';
import { table } from './timing.js';

class Rollback extends Error {}

const load = () =>
	loadavg()
		.map((x) => x.toFixed(2))
		.join(', ');

export async function tracingBench(): Promise<string> {
	const residents = Number(process.env.BENCH_TRACING_RESIDENTS ?? process.env.BENCH_RESIDENTS ?? 1_000_000);
	const seed = process.env.BENCH_CITY_SEED ?? 'tongxing';
	const howMany = Number(process.env.BENCH_TRACING_CASES ?? 6);
	const city = await openCachedCity({ residents, seed, log: (m) => process.stderr.write(`tracing bench: ${m}\n`) });
	try {
		const now = city.meta.now;
		const deps = (db: Kysely<Database>): IssuerDeps => ({
			db,
			dataDir: city.dir,
			keys: new KeyStore(city.dir),
			hmacKey: city.hmacKey,
			phoneKey: new Uint8Array(randomBytes(32)),
			sms: { name: 'none', send: () => Promise.resolve() },
			sources: databaseSources(db),
			config: { ...DEFAULT_CONFIG, region: '440300', demo: true },
			clock: () => now
		});
		const cases = (await tracingCases(deps(city.db))).slice(0, howMany);
		const rows: (string | number)[][] = [];
		const before = load();
		for (const c of cases) {
			let result: TracingResult | undefined;
			const t0 = performance.now();
			try {
				await city.db.transaction().execute(async (tx) => {
					result = await traceCase(deps(tx), 'bench', { caseId: c.id, purpose: 'benchmark' });
					throw new Rollback();
				});
			} catch (e) {
				if (!(e instanceof Rollback)) throw e;
			}
			const ms = performance.now() - t0;
			const hours = (Date.parse(c.window.until) - Date.parse(c.window.from)) / 3_600_000;
			const kinds = new Set(result!.people.flatMap((p) => p.evidence.map((e) => e.kind)));
			rows.push([
				c.id,
				`${hours.toFixed(0)} h`,
				result!.people.length,
				[...kinds].sort().join(', ') || '—',
				result!.truncated ? 'yes' : 'no',
				`${(ms / 1000).toFixed(2)} s`
			]);
			process.stderr.write(`tracing bench: ${c.id} ${result!.people.length} people in ${(ms / 1000).toFixed(2)} s\n`);
		}
		return [
			'## Contact tracing (traceCase, POST /api/v1/console/tracing/query)',
			'',
			`City: ${city.meta.residents.toLocaleString('en')} residents, ${city.meta.points.toLocaleString('en')} trajectory points (SQLite). ` +
				`The ${cases.length} newest confirmed cases, each with its default (infectious) window; each call rolled back. ` +
				`Load average ${before} → ${load()}.` +
				(city.staleness.length ? ` Note: ${city.staleness.join('; ')}.` : ''),
			'',
			table(['case', 'window', 'people listed', 'evidence', 'capped', 'time'], rows),
			''
		].join('\n');
	} finally {
		await city.close();
	}
}
