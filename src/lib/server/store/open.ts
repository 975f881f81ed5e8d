/**
 * Opening the database: one storage interface (`Kysely<Database>`), two engines.
 *
 * - SQLite (default): the file DATA_DIR/tongxing.sqlite through better-sqlite3, with journal_mode = WAL,
 *   busy_timeout = 5000, foreign_keys = ON, synchronous = FULL from the environment (TONGXING_SQLITE_SYNCHRONOUS,
 *   see databaseOptionsFromEnv below).
 * - PostgreSQL when DATABASE_URL is set: a pg Pool (max 10) — the engine for several app instances behind a
 *   load balancer. Nothing here keeps state per process beyond the pool itself: sessions, one-time codes and
 *   rate-limit counters are rows.
 *
 * Migrations run on every open (migrate.ts). The SvelteKit server uses getDatabase() (one per process, opened
 * lazily); tests and the CLI call openDatabase() and close() what they opened.
 *
 * PostgreSQL INT8: pg returns bigint columns (our ms timestamps, identity ids, count(*)) as strings by default.
 * The pool gets its own type parser that returns them as JS numbers, so both engines hand back `number`; it
 * throws on values beyond Number.MAX_SAFE_INTEGER rather than round them. The parser is per pool: pg's global
 * type registry is left alone. NUMERIC (e.g. sum()) still arrives as a string: cast in SQL if you need it.
 * `db.introspection` on PostgreSQL sees only the schemas on the search path (SearchPathIntrospector, below).
 *
 * Concurrency on SQLite: better-sqlite3 is synchronous, and Kysely's SqliteDialect has one connection guarded by
 * a mutex, so queries and transactions of one process are serialised (a transaction holds the connection until
 * it ends — keep them short and never await network I/O inside one). Across processes, safety comes from WAL
 * (readers never block the writer) plus busy_timeout (a writer waits up to 5 s for the lock — synchronously,
 * blocking that process's event loop while it waits). Transactions begin IMMEDIATE (they take the write lock
 * up front), so a read-then-write transaction cannot fail half-way with SQLITE_BUSY_SNAPSHOT when another
 * process commits in between. Do not open two Kysely instances on the same file in one process and run
 * transactions on both at once: the second would wait synchronously for a lock the first can't release.
 * Several processes on one SQLite file work, but PostgreSQL is the engine for real horizontal scale.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
	CompiledQuery,
	DEFAULT_MIGRATION_LOCK_TABLE,
	DEFAULT_MIGRATION_TABLE,
	Kysely,
	PostgresDialect,
	PostgresIntrospector,
	SqliteAdapter,
	SqliteDialect,
	SqliteDriver,
	Transaction,
	sql,
	type DatabaseConnection,
	type DatabaseIntrospector,
	type DatabaseMetadata,
	type DatabaseMetadataOptions,
	type DialectAdapter,
	type Driver,
	type SchemaMetadata,
	type SqliteDialectConfig,
	type TableMetadata
} from 'kysely';
import pg from 'pg';
import { dataDir as defaultDataDir } from '../config';
import { isSqliteBusy, isUniqueViolation } from './errors';
import { migrateToLatest } from './migrate';
import type { Database } from './schema';

export type Engine = 'sqlite' | 'postgres';

export interface OpenOptions {
	/** SQLite: the folder of tongxing.sqlite (created if missing). Default: DATA_DIR, else ./data. */
	dataDir?: string;
	/** When set (non-empty), PostgreSQL at this URL instead of SQLite. */
	databaseUrl?: string;
	/**
	 * PostgreSQL only: keep the tables in this schema (created if missing; the pool's search_path is set to it).
	 * Default: the connection's current schema (normally `public`). The contract tests use a fresh schema per test.
	 */
	pgSchema?: string;
	/** PostgreSQL pool size (default 10). */
	pgPoolMax?: number;
	/**
	 * SQLite `synchronous`. NORMAL in WAL mode never corrupts, but the last commits before a power cut or a kernel
	 * read-only remount can be lost although acknowledged (the drill counted scans and declarations: docs/drills.md
	 * §5); FULL fsyncs the WAL at every commit and keeps them, at the cost of that fsync (about 3 ms a commit here:
	 * docs/benchmarks.md). The server and the CLI take it from the environment, FULL unless
	 * TONGXING_SQLITE_SYNCHRONOUS=normal; options without it (tests, throwaway copies) get NORMAL.
	 */
	sqliteSynchronous?: 'normal' | 'full';
}

export interface OpenDatabase {
	db: Kysely<Database>;
	engine: Engine;
	/** Closes the SQLite file or ends the pool. Safe to call twice. */
	close(): Promise<void>;
}

export const SQLITE_FILE = 'tongxing.sqlite';
const SQLITE_BUSY_TIMEOUT_MS = 5000;
const PG_POOL_MAX = 10;
const PG_INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The options openDatabase() uses when given none: DATA_DIR (default ./data), DATABASE_URL, and SQLite's
 * `synchronous`: FULL unless TONGXING_SQLITE_SYNCHRONOUS=normal, because an acknowledged declaration must not be lost
 * (docs/drills.md §5: NORMAL lost acknowledged declarations and scans on a kernel read-only remount; FULL costs about
 * 3 ms per commit on this project's machine, docs/benchmarks.md).
 */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenOptions {
	const sync = env.TONGXING_SQLITE_SYNCHRONOUS ?? 'full';
	if (sync !== 'normal' && sync !== 'full') throw new Error(`TONGXING_SQLITE_SYNCHRONOUS must be normal or full: ${sync}`);
	return {
		dataDir: defaultDataDir(env),
		...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
		sqliteSynchronous: sync
	};
}

/**
 * Opens the database and runs pending migrations. Without options it reads the environment
 * (databaseOptionsFromEnv); with options it uses only those (spread databaseOptionsFromEnv() to combine).
 */
export async function openDatabase(options: OpenOptions = databaseOptionsFromEnv()): Promise<OpenDatabase> {
	return options.databaseUrl
		? openPostgres(options.databaseUrl, options)
		: openSqlite(options.dataDir ?? defaultDataDir(), options.sqliteSynchronous ?? 'normal');
}

/** Runs fn in a transaction (committed when fn resolves, rolled back when it throws). Inside a transaction already,
 * fn joins it. On SQLite the transaction begins IMMEDIATE (see the file comment); on PostgreSQL it is READ
 * COMMITTED, so read-then-write logic needs `forUpdate()` or an atomic statement. */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
	if (db instanceof Transaction) return fn(db as Transaction<Database>);
	return db.transaction().execute(fn);
}

let shared: Promise<OpenDatabase> | undefined;
let shutdownHooked = false;

/**
 * The server's database: opened (and migrated) on first use from the environment, then shared by every request
 * of this process. Closed on adapter-node's `sveltekit:shutdown`. A failed open is not cached: the next call tries
 * again.
 */
export function getDatabase(): Promise<OpenDatabase> {
	if (shared === undefined) {
		const opening = openDatabase();
		shared = opening;
		opening.then(
			() => {
				if (shutdownHooked) return;
				shutdownHooked = true;
				process.once('sveltekit:shutdown', () => void closeDatabase());
			},
			() => {
				if (shared === opening) shared = undefined;
			}
		);
	}
	return shared;
}

/** Closes the database getDatabase() opened, if any. */
export async function closeDatabase(): Promise<void> {
	const current = shared;
	shared = undefined;
	if (current === undefined) return;
	const opened = await current.catch(() => undefined);
	await opened?.close();
}

// ---------------------------------------------------------------------------------------------------------------
// SQLite

/**
 * Kysely's SQLite driver, except that transactions begin IMMEDIATE (take the write lock, waiting busy_timeout), and
 * that a rollback SQLite already did is not done twice: after SQLITE_FULL or SQLITE_IOERR (disk full, data directory
 * remounted read-only) SQLite may roll the transaction back itself, and Kysely's own ROLLBACK would then throw
 * "cannot rollback - no transaction is active" in place of the real error — a 500 instead of 503 storage/full.
 */
class ImmediateSqliteDriver extends SqliteDriver {
	readonly #sqlite: SQLite.Database;
	constructor(config: SqliteDialectConfig, sqlite: SQLite.Database) {
		super(config);
		this.#sqlite = sqlite;
	}
	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('begin immediate'));
	}
	override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
		if (!this.#sqlite.inTransaction) return;
		await super.rollbackTransaction(connection);
	}
}

/**
 * Kysely's SQLite adapter claims SQLite has no transactional DDL, so its Migrator would run migrations outside any
 * transaction and without a lock (a failed migration half-applied; two processes starting together both
 * migrating). SQLite DDL is transactional: say so, and the Migrator wraps each run in a transaction, which
 * begins IMMEDIATE — the write lock doubles as the migration lock across processes.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
	override get supportsTransactionalDdl(): boolean {
		return true;
	}
}

class ImmediateSqliteDialect extends SqliteDialect {
	readonly #config: SqliteDialectConfig;
	readonly #sqlite: SQLite.Database;
	constructor(config: SqliteDialectConfig, sqlite: SQLite.Database) {
		super(config);
		this.#config = config;
		this.#sqlite = sqlite;
	}
	override createDriver(): Driver {
		return new ImmediateSqliteDriver(this.#config, this.#sqlite);
	}
	override createAdapter(): DialectAdapter {
		return new TransactionalDdlSqliteAdapter();
	}
}

export const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query anew (~25–55 µs each, 15 % of a "my codes" request's CPU,
 * bench/server.ts). Queries are built from a small set of shapes, so prepared statements are kept per SQL
 * text (least recently used dropped past STATEMENT_CACHE_SIZE). Safe because the driver runs each statement
 * to completion synchronously (all/run), never two at once; SQLite re-prepares a cached statement itself
 * after a schema change.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDialectConfig['database'] {
	const cache = new Map<string, SQLite.Statement>();
	return {
		close: () => {
			cache.clear();
			sqlite.close();
		},
		prepare: (sql: string) => {
			let stmt = cache.get(sql);
			if (stmt) cache.delete(sql);
			else stmt = sqlite.prepare(sql);
			cache.set(sql, stmt);
			if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
			return stmt;
		}
	};
}

/**
 * `journal_mode = WAL` can answer SQLITE_BUSY at once, without waiting busy_timeout, while another process is
 * opening or migrating the same fresh file (concurrent first start, seen under load in CI): retry with jittered
 * back-off for up to SQLITE_BUSY_TIMEOUT_MS.
 */
async function switchToWal(sqlite: SQLite.Database): Promise<unknown> {
	const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
	for (;;) {
		try {
			return sqlite.pragma('journal_mode = WAL', { simple: true });
		} catch (e) {
			if (!isSqliteBusy(e) || Date.now() > deadline) throw e;
			await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
		}
	}
}

async function openSqlite(dir: string, synchronous: 'normal' | 'full'): Promise<OpenDatabase> {
	const file = join(dir, SQLITE_FILE);
	restrictToOwner(dir, file);
	const sqlite = new SQLite(file);
	let db: Kysely<Database> | undefined;
	try {
		// busy_timeout first: switching to WAL needs a lock another process may hold.
		sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
		const mode = await switchToWal(sqlite);
		if (mode !== 'wal') throw new Error(`SQLite at ${file}: journal_mode is ${String(mode)}, WAL is required`);
		sqlite.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
		const version = String(sqlite.prepare('select sqlite_version()').pluck().get());
		// RETURNING and UPSERT … RETURNING need 3.35
		if (compareVersions(version, '3.35.0') < 0) throw new Error(`SQLite ${version} is too old: 3.35 or later needed`);
		db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }, sqlite) });
		// Migrations run with foreign keys off (a table rebuild drops and renames a referenced table, which SQLite
		// allows only so: migrate.ts); every reference is checked before they are switched on for good.
		sqlite.pragma('foreign_keys = OFF');
		await migrateToLatest(db);
		const broken = sqlite.pragma('foreign_key_check') as unknown[];
		if (broken.length) throw new Error(`SQLite at ${file}: ${broken.length} rows break a foreign key after migrating`);
		sqlite.pragma('foreign_keys = ON');
	} catch (e) {
		if (db) await db.destroy();
		else sqlite.close();
		throw e;
	}
	return handle(db, 'sqlite');
}

/**
 * The folder holds keys and personal data, the file phones and health facts: owner only (0700 / 0600), also for
 * files an older version created with the umask's 0644. SQLite creates the -wal and -shm files with the database
 * file's permissions, so creating the file 0600 before SQLite opens it covers them too.
 */
function restrictToOwner(dir: string, file: string): void {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	chmodSync(dir, 0o700);
	try {
		writeFileSync(file, '', { mode: 0o600, flag: 'wx' }); // an empty file is an empty SQLite database
	} catch (e) {
		if ((e as { code?: string }).code !== 'EEXIST') throw e;
	}
	for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

function compareVersions(a: string, b: string): number {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < 3; i++) {
		const d = (pa[i] ?? 0) - (pb[i] ?? 0);
		if (d !== 0) return d;
	}
	return 0;
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

function parseInt8(text: string): number {
	const n = Number(text);
	if (!Number.isSafeInteger(n)) throw new RangeError(`bigint value ${text} does not fit a JS number exactly`);
	return n;
}

/** pg's default parsers, except INT8 (text format) → number. */
const typeParsers: pg.CustomTypesConfig = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
		oid === PG_INT8_OID && format !== 'binary'
			? parseInt8
			: (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser
};

interface ColumnRow {
	schema: string;
	table: string;
	kind: string;
	column: string;
	not_null: boolean;
	has_default: boolean;
	type: string;
	type_schema: string;
	comment: string | null;
	auto: boolean;
}

/**
 * Kysely's PostgreSQL introspector reads every column of every table in every schema of the database, and
 * resolves schemas by name — so it fails ("schema … does not exist") when another schema is dropped while it runs,
 * e.g. by a parallel test run, and it slows the Migrator (which introspects at every start) on a shared database.
 * This one only looks at the schemas on the search path: the app's own tables.
 */
class SearchPathIntrospector implements DatabaseIntrospector {
	readonly #db: Kysely<unknown>;
	readonly #inner: PostgresIntrospector;
	constructor(db: Kysely<unknown>) {
		this.#db = db;
		this.#inner = new PostgresIntrospector(db);
	}
	getSchemas(): Promise<SchemaMetadata[]> {
		return this.#inner.getSchemas();
	}
	async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
		const { rows } = await sql<ColumnRow>`
			select ns.nspname as schema, c.relname as table, c.relkind as kind, a.attname as column,
				a.attnotnull as not_null, a.atthasdef as has_default, typ.typname as type, tns.nspname as type_schema,
				col_description(c.oid, a.attnum) as comment,
				(a.attidentity <> '' or pg_get_serial_sequence(c.oid::regclass::text, a.attname) is not null) as auto
			from pg_catalog.pg_class c
			join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
			join pg_catalog.pg_attribute a on a.attrelid = c.oid
			join pg_catalog.pg_type typ on typ.oid = a.atttypid
			join pg_catalog.pg_namespace tns on tns.oid = typ.typnamespace
			where ns.nspname = any(current_schemas(false)) and c.relkind in ('r', 'v', 'p')
				and a.attnum > 0 and not a.attisdropped
			order by ns.nspname, c.relname, a.attnum`.execute(this.#db);
		const tables = new Map<string, TableMetadata>();
		for (const row of rows) {
			if (!options.withInternalKyselyTables && (row.table === DEFAULT_MIGRATION_TABLE || row.table === DEFAULT_MIGRATION_LOCK_TABLE)) {
				continue;
			}
			const key = `${row.schema}.${row.table}`;
			let table = tables.get(key);
			if (table === undefined) {
				table = { name: row.table, schema: row.schema, isView: row.kind === 'v', columns: [] };
				tables.set(key, table);
			}
			table.columns.push({
				name: row.column,
				dataType: row.type,
				dataTypeSchema: row.type_schema,
				isAutoIncrementing: row.auto,
				isNullable: !row.not_null,
				hasDefaultValue: row.has_default,
				...(row.comment === null ? {} : { comment: row.comment })
			});
		}
		return [...tables.values()];
	}
	async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
		return { tables: await this.getTables(options) };
	}
}

class SearchPathPostgresDialect extends PostgresDialect {
	override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
		return new SearchPathIntrospector(db);
	}
}

async function openPostgres(url: string, options: OpenOptions): Promise<OpenDatabase> {
	const schema = options.pgSchema;
	if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`);
	const pool = new pg.Pool({
		connectionString: url,
		max: options.pgPoolMax ?? PG_POOL_MAX,
		types: typeParsers,
		application_name: 'tongxing',
		...(schema === undefined ? {} : { options: `-c search_path=${schema}` })
	});
	// An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
	pool.on('error', (err) => console.error(`[db] PostgreSQL idle client error: ${err.message}`));
	const db = new Kysely<Database>({ dialect: new SearchPathPostgresDialect({ pool }) });
	try {
		let target = schema;
		if (target === undefined) {
			const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
			target = rows[0]?.schema ?? undefined;
			if (target === undefined) throw new Error('PostgreSQL: no schema of the search_path exists');
		} else {
			await createSchema(db, target);
		}
		await migrateToLatest(db, target);
	} catch (e) {
		await db.destroy();
		throw e;
	}
	return handle(db, 'postgres');
}

async function createSchema(db: Kysely<Database>, schema: string): Promise<void> {
	try {
		await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
	} catch (e) {
		// two instances creating it at once: "if not exists" can still race on pg_namespace's unique index
		if (!isUniqueViolation(e)) throw e;
	}
}

function handle(db: Kysely<Database>, engine: Engine): OpenDatabase {
	let closing: Promise<void> | undefined;
	return { db, engine, close: () => (closing ??= db.destroy()) };
}
