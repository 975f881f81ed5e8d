/**
 * Case-import benchmark (issue 17, "Fast case imports"): BENCH_ONLY=case-import npm run bench.
 *
 * A demo city of BENCH_CASE_RESIDENTS (default 5 000) residents is seeded (`tongxing seed` code path) into a fresh
 * temporary SQLite DATA_DIR with a fixed HMAC key; then 10 residents with phones (the first 10 phone owners by
 * keyed hash — not the city's own cases) are written as confirmed cases (confirmed 1 day before the seed time,
 * no onset: the window is the 4 days before confirmation) and timed, in the same run:
 * 1. the candidate search (recolour/affected.ts affectedPlan, as an import of the 10 cases runs it): how many
 *    residents it selects, how many of them it already evaluated exactly on the slice of points it screened, and
 *    its wall time;
 * 2. re-evaluating those candidates (recolourPlan(): load facts, evaluate, write; the sliced ones only written);
 * 3. baseline: re-evaluating every resident with the same rules (what `tongxing recolour --all` does). It runs
 *    after the import, so the colours it changes are the ones the candidate search missed (should be 0), and the
 *    review times and explanations it moves are ones the import left wrong (should be 0 too).
 * 4. an oracle search (BENCH_CASE_ORACLE=0 skips it): on a copy of the database taken before the import, the same
 *    import with the range scans' finds cut to exactly the residents the import changed (affectedPlan `only`) —
 *    what the import would cost if the search knew who changes colour: the floor of this design for this import.
 * The temporary directories are deleted afterwards.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/lib/server/store/open.js';
import { KeyStore } from '../src/lib/server/keys/keystore.js';
import { initKeys } from '../src/lib/server/keys/published.js';
import { databaseSources } from '../src/lib/server/issuer/cross-check.js';
import { DEFAULT_CONFIG, type IssuerDeps } from '../src/lib/server/issuer/deps.js';
import { seedCity } from '../src/demo/seed-city.js';
import { refsWithCases, upsertCases } from '../src/lib/server/store/facts-import.js';
import { affectedPlan } from '../src/lib/server/recolour/affected.js';
import type { ScreenStats } from '../src/lib/server/recolour/screen-candidates.js';
import type { Affected } from '../src/lib/server/store/risk-areas.js';
import { recolour, recolourPlan } from '../src/lib/server/recolour/recolour.js';
import { invalidateEngine, loadEngine } from '../src/lib/server/recolour/engine.js';
import { allResidents } from '../src/lib/server/recolour/rule-sets.js';
import { table } from './timing.js';

const s2 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () =>
	loadavg()
		.map((x) => x.toFixed(2))
		.join(', ');

export async function caseImportBench(): Promise<string> {
	const residents = Number(process.env.BENCH_CASE_RESIDENTS ?? 5_000);
	const dir = mkdtempSync(join(tmpdir(), 'tongxing-case-import-'));
	const opened = await openDatabase({ dataDir: dir, databaseUrl: '' });
	let oracleDir = '';
	try {
		const now = Date.UTC(2026, 11, 1, 4, 0, 0);
		const deps: IssuerDeps = {
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
		await initKeys(deps.keys, dir, { region: '440300', validDays: 365, nowSec: Math.floor(now / 1000) - 60 });
		process.stderr.write(`case-import bench: seeding ${residents} residents (load average ${load()})…\n`);
		const seeded = await seedCity(deps, { residents, seed: 'tongxing' });
		const owners = await deps.db.selectFrom('phone_registry').select('id_hmac').distinct().orderBy('id_hmac').limit(10).execute();
		const caseRefs = owners.map((o) => o.id_hmac);
		const confirmedAt = now - 86_400_000;
		// as the cases import does (sources/kinds.ts): those with no case before are new (Affected.newCaseRefs)
		const known = await deps.db.transaction().execute((tx) => refsWithCases(tx, caseRefs));
		await deps.db.transaction().execute((tx) =>
			upsertCases(
				tx,
				caseRefs.map((ref) => ({ id: `bench-case-${ref}`, ref, confirmedAt, releasedAt: null })),
				now
			)
		);
		// the oracle's copy of the database as it is before the import (SQLite: checkpointed, then the folder copied)
		const oracle = process.env.BENCH_CASE_ORACLE !== '0';
		if (oracle) {
			oracleDir = mkdtempSync(join(tmpdir(), 'tongxing-case-oracle-'));
			await sql`pragma wal_checkpoint(truncate)`.execute(deps.db);
			cpSync(dir, oracleDir, { recursive: true });
		}
		invalidateEngine();
		const loadBefore = load();
		const screen: ScreenStats = { found: 0, screened: 0, matched: 0 };
		const t0 = performance.now();
		const affected: Affected = {
			refs: new Set(caseRefs),
			phones: new Set(),
			caseRefs: new Set(caseRefs),
			newCaseRefs: new Set(caseRefs.filter((r) => !known.has(r))),
			riskAreas: []
		};
		const plan = await affectedPlan(deps.db, affected, now, screen);
		const candidates = new Set([...plan.refs, ...plan.evaluated.map((r) => r.ref)]);
		const searchMs = performance.now() - t0;
		const t1 = performance.now();
		const inc = await recolourPlan(deps, plan, { actor: 'bench-import' });
		const incMs = performance.now() - t1;
		const everyone = await allResidents(deps);
		const t2 = performance.now();
		const full = await recolour(deps, everyone, { actor: 'bench', engine: await loadEngine(deps.db, now) });
		const fullMs = performance.now() - t2;
		const changedRefs = new Set(
			(await deps.db.selectFrom('resident_colour_events').select('ref').distinct().where('actor', '=', 'bench-import').execute()).map(
				(r) => r.ref
			)
		);
		const floor = oracle ? await oracleImport(deps, oracleDir, affected, changedRefs, now) : undefined;
		const scans = (st: ScreenStats) => s2(st.scansMs ?? 0);
		const rows = [
			[
				'candidate search (affectedPlan)',
				`${candidates.size} of ${everyone.length} residents (${((100 * candidates.size) / everyone.length).toFixed(1)} %); ` +
					`cases' facts and range scans ${scans(screen)}, found ${screen.found} (${((100 * screen.found) / everyone.length).toFixed(1)} %), ${screen.screened} screened ` +
					`against the new cases (stored colours ${s2(screen.ms?.colours ?? 0)}, slices ${s2(screen.ms?.slices ?? 0)}, ` +
					`matching ${s2(screen.ms?.match ?? 0)}; ${((screen.sliceChars ?? 0) / 1e6).toFixed(1)} MB of packed points), ${screen.matched} of them matched; ${screen.sliced ?? 0} evaluated on their slice ` +
					`(${s2(screen.ms?.sliced ?? 0)}; ${screen.fellBack ?? 0} fell back to a full evaluation), ${plan.refs.size} left for a full one`,
				s2(searchMs)
			],
			['re-evaluate the candidates (recolour)', `${inc.evaluated} evaluated, ${inc.changed} changed`, s2(incMs)],
			['import total (search + re-evaluate)', '', s2(searchMs + incMs)],
			[
				'baseline: re-evaluate everyone',
				`${full.evaluated} evaluated, ${full.changed} changed (0: the candidate search missed no one); ` +
					`of the unchanged, review time moved for ${full.moved?.reviewAt ?? 0}, explanation for ${full.moved?.explanation ?? 0} ` +
					`(import: ${inc.moved?.reviewAt ?? 0} and ${inc.moved?.explanation ?? 0})`,
				s2(fullMs)
			],
			['ratio import / baseline', '', ((searchMs + incMs) / fullMs).toFixed(2)],
			...(floor
				? [
						[
							'oracle search (the range scans cut to the residents who change)',
							`${floor.candidates} candidates (${changedRefs.size} changed in the import); range scans ${scans(floor.screen)}, ` +
								`slices ${s2(floor.screen.ms?.slices ?? 0)} (${((floor.screen.sliceChars ?? 0) / 1e6).toFixed(1)} MB), ${floor.screen.sliced ?? 0} evaluated on their slice ` +
								`(${s2(floor.screen.ms?.sliced ?? 0)}), ${floor.refs} left for a full one`,
							s2(floor.searchMs)
						],
						['oracle: re-evaluate (recolourPlan)', `${floor.result.evaluated} evaluated, ${floor.result.changed} changed`, s2(floor.incMs)],
						['oracle import / baseline', '', ((floor.searchMs + floor.incMs) / fullMs).toFixed(2)],
						[
							'oracle import without its range scans / baseline',
							'',
							((floor.searchMs + floor.incMs - (floor.screen.scansMs ?? 0)) / fullMs).toFixed(2)
						]
					]
				: [])
		];
		// where the main thread's time went (recolour's phasesMs; evaluation runs in workers beside it, or in between)
		const phase = (r: typeof inc, ms: number) => {
			const p = r.phasesMs!;
			const rest = ms - p.load - p.unchanged - p.colours - p.issue;
			return [s2(p.load), s2(p.unchanged), s2(p.colours), s2(p.issue), s2(rest), `${r.workers ?? 0}`];
		};
		const phases = table(
			[
				'run',
				'load facts',
				'unchanged (review times, explanations)',
				'write colours + audit',
				'issue codes + history',
				'evaluate and the rest',
				'workers'
			],
			[
				['re-evaluate the candidates', ...phase(inc, incMs)],
				['re-evaluate everyone', ...phase(full, fullMs)],
				...(floor ? [['oracle: re-evaluate', ...phase(floor.result, floor.incMs)]] : [])
			]
		);
		return [
			`### Importing 10 cases into a ${seeded.residents}-resident demo city (${seeded.trajectoryPoints} points; load average before ${loadBefore}, after ${load()})`,
			'',
			table(['step', 'what', 'wall time'], rows),
			'',
			phases
		].join('\n');
	} finally {
		await opened.close();
		rmSync(dir, { recursive: true, force: true });
		if (oracleDir) rmSync(oracleDir, { recursive: true, force: true });
	}
}

/**
 * The import again on the copy taken before it, with a search that knew who changes (affectedPlan `only`): the same
 * range scans, then only the changed are screened and evaluated. The copy is deleted afterwards.
 */
async function oracleImport(base: IssuerDeps, dir: string, affected: Affected, changed: ReadonlySet<string>, now: number) {
	const opened = await openDatabase({ dataDir: dir, databaseUrl: '' });
	try {
		const deps: IssuerDeps = { ...base, db: opened.db, dataDir: dir, keys: new KeyStore(dir), sources: databaseSources(opened.db) };
		invalidateEngine();
		const screen: ScreenStats = { found: 0, screened: 0, matched: 0 };
		const t0 = performance.now();
		const plan = await affectedPlan(deps.db, affected, now, screen, { only: changed });
		const searchMs = performance.now() - t0;
		const t1 = performance.now();
		const result = await recolourPlan(deps, plan, { actor: 'bench-oracle' });
		const incMs = performance.now() - t1;
		return { screen, searchMs, incMs, result, candidates: plan.refs.size + plan.evaluated.length, refs: plan.refs.size };
	} finally {
		await opened.close();
		invalidateEngine();
		rmSync(dir, { recursive: true, force: true });
	}
}
