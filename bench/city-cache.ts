/**
 * A seeded demo city kept across benchmark runs: seeding 1 000 000 residents writes ~125 M trajectory points
 * (tens of GB, most of an hour on a shared 2-core machine), so bench/recolour.ts seeds once and reuses.
 *
 * Where: BENCH_CACHE_DIR (default <os tmpdir>/tongxing-bench-city), one folder per key; building a city deletes
 * the other folders there, so at most one cached city is on disk. The key hashes the size, the seed, the
 * migration list and the sources that decide what the seed writes (the generator, the seed writer, bulk
 * inserts), so a change to any of them rebuilds. The folder holds tongxing.sqlite, the HMAC key the refs were
 * made with, and meta.json — written last: a folder without it is incomplete and rebuilt. BENCH_CITY_REBUILD=1
 * forces a rebuild.
 *
 * Rule sources are not in the key (a rule tweak would cost a full reseed): when they changed since the seed,
 * the stored colours may be stale, and the bench says so. Neither are migrations: opening the cached city
 * migrates it like any data directory (meta.json keeps the list it was seeded with, and the bench notes a
 * difference). BENCH_CITY_REUSE=1 reuses a cached city of the same size and seed even when the seed sources
 * changed since (a refactor of the seed writer should not cost an hour of reseeding); the bench notes it.
 *
 * Measurements must leave the city as they found it: beginMeasurement() saves resident_colours (a copy table)
 * and the last audit id, and writes a `measuring` marker holding both; undo() deletes the audit rows and risk
 * areas added since, restores the colours of the residents they touched, and removes the marker. A run killed
 * in between is undone at the next open (or, if the copy is missing, the city is rebuilt).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type OpenDatabase } from '../src/lib/server/store/open.js';
import { MIGRATIONS } from '../src/lib/server/store/migrate.js';
import type { Database } from '../src/lib/server/store/schema.js';
import { KeyStore } from '../src/lib/server/keys/keystore.js';
import { databaseSources } from '../src/lib/server/issuer/cross-check.js';
import { DEFAULT_CONFIG, type IssuerDeps } from '../src/lib/server/issuer/deps.js';
import { seedCity } from '../src/demo/seed-city.js';
import { sqliteAppendOnlyTriggers } from '../src/lib/server/store/migrations/010-append-only-audit.js';
import { rebuildOverviewCounts } from '../src/lib/server/store/migrations/026-overview.js';

const ROOT_DIR = join(import.meta.dirname, '..');
/** what the seed writes depends on these (non-test .ts files under each) */
const KEY_SOURCES = ['src/demo', 'src/lib/server/store/bulk.ts', 'src/lib/server/store/demo-seed.ts'];
/** what decides the stored colours besides the facts (loading changes are checked equal by seed-city.test.ts) */
const RULE_SOURCES = ['src/lib/core/rules', 'src/lib/server/recolour/engine.ts'];
const SAVED = 'bench_saved_colours';

export interface CityMeta {
	key: string;
	residents: number;
	households: number;
	points: number;
	seed: string;
	/** the clock the city was seeded at (ms); measurements run at this time */
	now: number;
	builtAt: string;
	ms: { generateAndWrite: number; evaluate: number };
	evaluatedFrom: string;
	cpuSeconds: number;
	maxRssMB: number;
	dbBytes: number;
	loadAverage: string;
	colours: Record<string, number>;
	rulesHash: string;
	/** the migrations applied when it was seeded (absent in caches written before this field) */
	migrations?: string[];
}

export interface Mark {
	maxEventId: number;
}

export interface CachedCity {
	dir: string;
	db: Kysely<Database>;
	hmacKey: Uint8Array;
	meta: CityMeta;
	builtNow: boolean;
	/** rule sources changed since the seed (stored colours may be stale) */
	rulesChanged: boolean;
	/** what else differs from a city seeded now (seed sources, migrations), for the report; empty when nothing */
	staleness: string[];
	beginMeasurement(): Promise<Mark>;
	undo(mark: Mark): Promise<void>;
	close(): Promise<void>;
}

function sourceFiles(path: string): string[] {
	const abs = join(ROOT_DIR, path);
	if (statSync(abs).isFile()) return [path];
	return readdirSync(abs, { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
		.map((f) => join(path, f))
		.sort();
}

function hashSources(paths: readonly string[]): string {
	const h = createHash('sha256');
	for (const p of paths.flatMap(sourceFiles))
		h.update(p)
			.update('\0')
			.update(readFileSync(join(ROOT_DIR, p)))
			.update('\0');
	return h.digest('hex').slice(0, 16);
}

function dirBytes(dir: string): number {
	return readdirSync(dir).reduce((n, f) => {
		const st = statSync(join(dir, f));
		return n + (st.isFile() ? st.size : 0);
	}, 0);
}

export async function openCachedCity(opts: { residents: number; seed: string; log: (m: string) => void }): Promise<CachedCity> {
	const root = process.env.BENCH_CACHE_DIR ?? join(tmpdir(), 'tongxing-bench-city');
	const key = createHash('sha256')
		.update(JSON.stringify({ residents: opts.residents, seed: opts.seed, sources: hashSources(KEY_SOURCES) }))
		.digest('hex')
		.slice(0, 16);
	let dir = join(root, `city-${opts.residents}-${key}`);
	const staleness: string[] = [];
	if (!existsSync(join(dir, 'meta.json')) && process.env.BENCH_CITY_REUSE === '1' && existsSync(root)) {
		const other = readdirSync(root).find((d) => {
			if (!d.startsWith(`city-${opts.residents}-`) || !existsSync(join(root, d, 'meta.json'))) return false;
			return (JSON.parse(readFileSync(join(root, d, 'meta.json'), 'utf8')) as CityMeta).seed === opts.seed;
		});
		if (other) {
			dir = join(root, other);
			staleness.push(`the seed sources changed since this city was seeded (reused with BENCH_CITY_REUSE=1)`);
		}
	}
	const metaFile = join(dir, 'meta.json');
	const measuring = join(dir, 'measuring');
	const rulesHash = hashSources(RULE_SOURCES);
	let builtNow = false;
	let opened: OpenDatabase | undefined;

	if (existsSync(metaFile) && process.env.BENCH_CITY_REBUILD !== '1') {
		opened = await openDatabase({ dataDir: dir, databaseUrl: '' });
		if (existsSync(measuring)) {
			const mark = JSON.parse(readFileSync(measuring, 'utf8')) as Mark;
			const saved = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = ${SAVED}`.execute(
				opened.db
			);
			if (Number(saved.rows[0]?.n) === 1) {
				opts.log(`undoing an interrupted measurement in ${dir}`);
				await undo(opened.db, mark);
				rmSync(measuring);
			} else {
				await opened.close();
				opened = undefined;
			}
		}
	}
	if (!opened) {
		mkdirSync(root, { recursive: true });
		for (const other of readdirSync(root)) {
			if (other.startsWith('city-')) {
				opts.log(`deleting the cached city ${join(root, other)}`);
				rmSync(join(root, other), { recursive: true, force: true });
			}
		}
		mkdirSync(dir, { recursive: true });
		const hmacKey = new Uint8Array(randomBytes(32));
		writeFileSync(join(dir, 'hmac.key'), Buffer.from(hmacKey).toString('base64'));
		opened = await openDatabase({ dataDir: dir, databaseUrl: '' });
		const now = Date.now();
		const deps: IssuerDeps = {
			db: opened.db,
			dataDir: dir,
			keys: new KeyStore(dir),
			hmacKey,
			// the seeded city has no accounts: a throwaway phone key
			phoneKey: new Uint8Array(randomBytes(32)),
			sms: { name: 'none', send: () => Promise.resolve() },
			sources: databaseSources(opened.db),
			config: { ...DEFAULT_CONFIG, region: '440300', demo: true },
			clock: () => now
		};
		const load = loadavg()
			.map((x) => x.toFixed(2))
			.join(', ');
		opts.log(`seeding ${opts.residents} residents into ${dir} (load average ${load}); this is cached for later runs…`);
		const cpu0 = process.cpuUsage();
		const t0 = performance.now();
		let last = 0;
		const seeded = await seedCity(deps, {
			residents: opts.residents,
			seed: opts.seed,
			onProgress: (stage, done, total) => {
				if (performance.now() - last < 30_000 && done < total) return;
				last = performance.now();
				opts.log(`seed: ${stage} ${done}/${total} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
			}
		});
		const cpu = process.cpuUsage(cpu0);
		await sql`pragma wal_checkpoint(truncate)`.execute(opened.db);
		const meta: CityMeta = {
			key,
			residents: seeded.residents,
			households: seeded.households,
			points: seeded.trajectoryPoints,
			seed: opts.seed,
			now,
			builtAt: new Date().toISOString(),
			ms: seeded.ms,
			evaluatedFrom: seeded.evaluatedFrom,
			cpuSeconds: (cpu.user + cpu.system) / 1e6,
			maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
			dbBytes: dirBytes(dir),
			loadAverage: `${load} → ${loadavg()
				.map((x) => x.toFixed(2))
				.join(', ')}`,
			colours: seeded.colours,
			rulesHash,
			migrations: Object.keys(MIGRATIONS)
		};
		writeFileSync(metaFile, JSON.stringify(meta, null, '\t'));
		builtNow = true;
		opts.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${(meta.dbBytes / 1e9).toFixed(1)} GB`);
	}
	const db = opened.db;
	const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as CityMeta;
	const handle = opened;
	if (meta.migrations && meta.migrations.join() !== Object.keys(MIGRATIONS).join())
		staleness.push(
			`migrated since the seed (${Object.keys(MIGRATIONS)
				.filter((m) => !meta.migrations!.includes(m))
				.join(', ')})`
		);
	return {
		dir,
		db,
		hmacKey: new Uint8Array(Buffer.from(readFileSync(join(dir, 'hmac.key'), 'utf8'), 'base64')),
		meta,
		builtNow,
		rulesChanged: meta.rulesHash !== rulesHash,
		staleness,
		async beginMeasurement() {
			await sql.raw(`drop table if exists ${SAVED}`).execute(db);
			await sql.raw(`create table ${SAVED} as select * from resident_colours`).execute(db);
			const row = await db
				.selectFrom('resident_colour_events')
				.select((eb) => eb.fn.max('id').as('id'))
				.executeTakeFirst();
			const mark: Mark = { maxEventId: Number(row?.id ?? 0) };
			writeFileSync(measuring, JSON.stringify(mark));
			return mark;
		},
		async undo(mark) {
			await undo(db, mark);
			rmSync(measuring, { force: true });
		},
		close: () => handle.close()
	};
}

/** Puts back what a measurement changed (see the file comment). */
async function undo(db: Kysely<Database>, mark: Mark): Promise<void> {
	await db.transaction().execute(async (tx) => {
		const touched = sql`(select ref from resident_colour_events where id > ${mark.maxEventId})`;
		await sql`delete from resident_colours where ref in ${touched}`.execute(tx);
		await sql`insert into resident_colours select * from ${sql.table(SAVED)} where ref in ${touched}`.execute(tx);
		// The audit table is append-only for the application (migration 010); this tool undoes its own
		// measurement on its own cached copy, so it lifts the guard for this one statement.
		const guard = sqliteAppendOnlyTriggers('resident_colour_events');
		for (const s of guard.drop) await sql.raw(s).execute(tx);
		await sql`delete from resident_colour_events where id > ${mark.maxEventId}`.execute(tx);
		for (const s of guard.create) await sql.raw(s).execute(tx);
		await sql`delete from risk_areas where created_by = 'bench'`.execute(tx);
		await sql.raw(`drop table ${SAVED}`).execute(tx);
		// the overview's counts (migration 026) followed the measurement's writes: recount them from the restored rows
		if (await hasOverviewTables(tx)) await rebuildOverviewCounts(tx as unknown as Kysely<unknown>);
	});
}

async function hasOverviewTables(db: Kysely<Database>): Promise<boolean> {
	const r = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'overview_counts'`.execute(db);
	return Number(r.rows[0]?.n) === 1;
}
