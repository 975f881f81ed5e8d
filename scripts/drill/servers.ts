/**
 * The drill's servers: the production build (`node build`) on 127.0.0.1, demo mode, each run with its own
 * temporary DATA_DIR (SQLite) or its own PostgreSQL schema, started and health-checked by the bench's launcher
 * (bench/server.ts startServer). A server can be stopped (SIGTERM), killed (SIGKILL, by its PID) and started
 * again on the same port with the same data, and its clock moved (TONGXING_DEMO_CLOCK_OFFSET_MS, demo only).
 *
 * The servers trust 127.0.0.1 as a proxy (TONGXING_TRUSTED_PROXIES), so the simulated phones' X-Forwarded-For
 * addresses (sim/device-context.ts) are what the per-address rate limits see: a city's phones come from many
 * addresses, not one.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { childEnv, ensureBuild, startServer, stopServer, type Server } from '../../bench/server.js';
import { openDatabase } from '../../src/lib/server/store/open.js';
import { dropPostgresSchema } from '../../src/lib/server/store/drop-pg-schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const execFileAsync = promisify(execFile);

export interface Storage {
	readonly engine: 'sqlite' | 'postgres';
	readonly dataDir: string;
	/** PostgreSQL: the URL with this run's schema as search_path */
	readonly databaseUrl?: string;
	/** PostgreSQL: that schema */
	readonly pgSchema?: string;
	/** environment for `node build` and the CLI */
	env(extra?: Record<string, string>): NodeJS.ProcessEnv;
	dispose(): Promise<void>;
}

/** A fresh SQLite data directory (a temporary one, or `at`: e.g. on a file system the scenario mounted). */
export function sqliteStorage(at?: string): Storage {
	const dataDir = at ?? mkdtempSync(join(tmpdir(), 'tongxing-drill-'));
	return {
		engine: 'sqlite',
		dataDir,
		env: (extra = {}) => childEnv(dataDir, extra),
		dispose: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true }))
	};
}

/** A fresh schema in the PostgreSQL at `url` (created and migrated here; dropped by dispose). */
export async function postgresStorage(url: string): Promise<Storage> {
	const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-drill-pg-'));
	const schema = `drill_${process.pid}_${Date.now().toString(36)}`;
	const opened = await openDatabase({ databaseUrl: url, pgSchema: schema });
	await opened.close();
	const u = new URL(url);
	u.searchParams.delete('options');
	// percent-encoded by hand: URLSearchParams writes the space as '+', which node-postgres reads as a space but libpq
	// (pg_dump, pg_restore: `tongxing backup` / `restore`) does not
	const databaseUrl = `${u.toString()}${u.search ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
	return {
		engine: 'postgres',
		dataDir,
		databaseUrl,
		pgSchema: schema,
		env: (extra = {}) => childEnv(dataDir, { DATABASE_URL: databaseUrl, ...extra }),
		dispose: async () => {
			rmSync(dataDir, { recursive: true, force: true });
			await dropPostgresSchema(url, schema);
		}
	};
}

/**
 * Runs `part` on a fresh SQLite storage and then, when TEST_DATABASE_URL is set, on a fresh PostgreSQL schema; each
 * storage is disposed of after its part. `postgres` says whether the second part ran.
 */
export async function onEachEngine<T>(
	part: (storage: Storage) => Promise<T>,
	log: (line: string) => void
): Promise<{ results: T[]; postgres: boolean }> {
	const results: T[] = [];
	const sqlite = sqliteStorage();
	try {
		results.push(await part(sqlite));
	} finally {
		await sqlite.dispose();
	}
	const url = process.env.TEST_DATABASE_URL;
	if (!url) {
		log('  PostgreSQL part skipped: TEST_DATABASE_URL is not set');
		return { results, postgres: false };
	}
	const pg = await postgresStorage(url);
	try {
		results.push(await part(pg));
	} finally {
		await pg.dispose();
	}
	return { results, postgres: true };
}

/** `tongxing …` against the storage (the CLI opens the same database the servers use). */
export async function cli(storage: Storage, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
	const r = await execFileAsync(process.execPath, ['bin/tongxing.js', ...args], {
		cwd: ROOT,
		env: storage.env(extraEnv),
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	});
	return r.stdout;
}

export interface DrillServerOptions {
	/** TONGXING_MAX_IN_FLIGHT: concurrent API requests before the server sheds with 503 server/busy */
	maxInFlight?: number;
	/** the server's clock ahead of the machine's, ms (the accelerated outage) */
	clockOffsetMs?: number;
}

/** One `node build` process over a storage, restartable on its port. */
export class DrillServer {
	#server: Server | undefined;
	#port: number | undefined;
	starts = 0;
	kills = 0;
	constructor(
		readonly storage: Storage,
		public options: DrillServerOptions = {}
	) {}

	get origin(): string {
		if (this.#port === undefined) throw new Error('server never started');
		return `http://127.0.0.1:${this.#port}`;
	}
	get port(): number {
		if (this.#port === undefined) throw new Error('server never started');
		return this.#port;
	}
	get running(): boolean {
		return this.#server !== undefined && this.#server.proc.exitCode === null && this.#server.proc.signalCode === null;
	}

	async start(): Promise<void> {
		ensureBuild();
		const env: Record<string, string> = { TONGXING_TRUSTED_PROXIES: '127.0.0.1' };
		if (this.options.maxInFlight !== undefined) env.TONGXING_MAX_IN_FLIGHT = String(this.options.maxInFlight);
		if (this.options.clockOffsetMs) env.TONGXING_DEMO_CLOCK_OFFSET_MS = String(Math.round(this.options.clockOffsetMs));
		if (this.storage.databaseUrl) env.DATABASE_URL = this.storage.databaseUrl;
		this.#server = await startServer(this.storage.dataDir, env, this.#port);
		this.#port = this.#server.port;
		this.starts++;
	}

	/** SIGTERM (then SIGKILL after 5 s), as an operator stops it. */
	async stop(): Promise<void> {
		if (this.#server) await stopServer(this.#server.proc);
		this.#server = undefined;
	}

	/** kill -9 of this server's PID: no shutdown, requests cut mid-way. */
	async kill9(): Promise<void> {
		const s = this.#server;
		if (!s || !this.running) return;
		const exited = new Promise<void>((r) => s.proc.once('exit', () => r()));
		s.proc.kill('SIGKILL');
		await exited;
		this.#server = undefined;
		this.kills++;
	}

	log(): string {
		return this.#server?.log() ?? '';
	}
}

/**
 * The new machine for a restore of `live` (a postgresStorage): the lost machine's schema is dropped (its database is
 * gone with it), so the restore goes into a database without that schema — which pg_restore creates again under the
 * same name — with a new, empty DATA_DIR. A database of its own would need CREATEDB, which the test role (.ci/run)
 * does not have. dispose removes the DATA_DIR; the schema is dropped by `live`'s dispose.
 */
export async function postgresRestoreTarget(live: Storage): Promise<Storage> {
	if (!live.pgSchema || !live.databaseUrl) throw new Error('not a PostgreSQL storage');
	await dropPostgresSchema(live.databaseUrl, live.pgSchema);
	const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-drill-restored-'));
	const databaseUrl = live.databaseUrl;
	return {
		engine: 'postgres',
		dataDir,
		databaseUrl,
		pgSchema: live.pgSchema,
		env: (extra = {}) => childEnv(dataDir, { DATABASE_URL: databaseUrl, ...extra }),
		dispose: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true }))
	};
}
