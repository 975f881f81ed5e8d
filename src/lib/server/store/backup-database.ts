/**
 * Copying the database while the server runs, and putting a copy back (docs/drills.md §4, `tongxing backup` /
 * `tongxing restore`).
 *
 * - SQLite: better-sqlite3's online backup API (sqlite3_backup_*) from a connection of its own. The copy is taken in
 *   one step, so it is one read transaction — one consistent moment — and, as a WAL reader, it never blocks the
 *   server's writers. The copy is switched to a rollback journal (one self-contained file) and the manifest is
 *   computed from the copy itself.
 * - PostgreSQL: `pg_dump --format=custom` of the app's schema, reading a snapshot exported from a REPEATABLE READ
 *   transaction in which the manifest is computed too: the dump and the manifest see exactly the same rows while
 *   traffic goes on. Restored with `pg_restore` into an empty database (or one without the schema).
 * The binaries are the PostgreSQL client's; a missing one is a clear error, not a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { databaseManifest, type DatabaseManifest } from './database-manifest.js';
import { SQLITE_FILE, openDatabase, type Engine } from './open.js';
import type { Database } from './schema.js';

/** A backup or restore that cannot go on, in words an operator can act on (the CLI prints the message). */
export class BackupError extends Error {
	override readonly name = 'BackupError';
}

export interface DatabaseCopy {
	engine: Engine;
	/** the copy's file name inside the backup folder */
	file: string;
	/** PostgreSQL: the schema dumped (restored under the same name) */
	pgSchema?: string;
	manifest: DatabaseManifest;
}

export const SQLITE_COPY = 'tongxing.sqlite';
export const PG_DUMP_FILE = 'tongxing.pgdump';

/** Copies the database of `dataDir` (SQLite) or at `databaseUrl` (PostgreSQL) into `outDir`, with its manifest. */
export async function copyDatabase(
	opts: { dataDir: string; databaseUrl?: string; pgSchema?: string },
	outDir: string
): Promise<DatabaseCopy> {
	return opts.databaseUrl ? dumpPostgres(opts.databaseUrl, opts.pgSchema, outDir) : copySqlite(opts.dataDir, outDir);
}

async function copySqlite(dataDir: string, outDir: string): Promise<DatabaseCopy> {
	const source = join(dataDir, SQLITE_FILE);
	if (!existsSync(source) || statSync(source).size === 0) throw new BackupError(`no database at ${source} (DATA_DIR)`);
	const target = join(outDir, SQLITE_COPY);
	// read-only: the backup never writes to the live file (not even the checkpoint a last read-write connection makes on close)
	const live = new SQLite(source, { fileMustExist: true, readonly: true });
	try {
		live.pragma('busy_timeout = 5000');
		// the first step only counts the pages; the second copies all of them at once (one read transaction: a
		// consistent copy, and no restart when the server writes meanwhile, as page-by-page copying would have)
		await live.backup(target, { progress: () => 0x7fffffff });
	} finally {
		live.close();
	}
	chmodSync(target, 0o600);
	const copy = new SQLite(target);
	copy.pragma('journal_mode = DELETE');
	// quick_check: every page and record readable and well-formed (integrity_check also cross-checks every index
	// against its table, which takes minutes on a city's several GB; the manifest's counts and digests cover the rows)
	const check = copy.pragma('quick_check', { simple: true });
	if (check !== 'ok') {
		copy.close();
		throw new BackupError(`the copy fails SQLite's quick_check: ${String(check)}`);
	}
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: copy }) });
	try {
		return { engine: 'sqlite', file: SQLITE_COPY, manifest: await databaseManifest(db) };
	} finally {
		await db.destroy();
	}
}

/** Throws BackupError when a PostgreSQL client program is not on PATH. */
export function requirePgBinary(name: 'pg_dump' | 'pg_restore'): void {
	const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
	if (r.error || r.status !== 0) {
		throw new BackupError(
			`${name} not found: install the PostgreSQL client programs (the server's major version or newer) and put them on PATH`
		);
	}
}

function run(cmd: string, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
		child.on('error', (e) => reject(new BackupError(`${cmd}: ${e.message}`)));
		child.on('close', (code) => {
			if (code === 0) resolve();
			// the URL may carry a password: pg's messages name the host and database, not the URL
			else reject(new BackupError(`${cmd} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`));
		});
	});
}

async function dumpPostgres(url: string, pgSchema: string | undefined, outDir: string): Promise<DatabaseCopy> {
	requirePgBinary('pg_dump');
	const target = join(outDir, PG_DUMP_FILE);
	const o = await openDatabase({ databaseUrl: url, ...(pgSchema ? { pgSchema } : {}) });
	try {
		return await o.db
			.transaction()
			.setIsolationLevel('repeatable read')
			.execute(async (trx) => {
				await sql`set transaction read only`.execute(trx);
				const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(trx)).rows[0]!.s;
				const snapshot = (await sql<{ s: string }>`select pg_export_snapshot() as s`.execute(trx)).rows[0]!.s;
				const dump = run('pg_dump', [
					'--format=custom',
					`--snapshot=${snapshot}`,
					`--schema=${schema}`,
					'--no-owner',
					'--no-privileges',
					`--file=${target}`,
					`--dbname=${url}`
				]);
				// the manifest reads the same snapshot while pg_dump copies it; both must finish before it is released
				const [manifest] = await Promise.all([databaseManifest(trx), dump]);
				chmodSync(target, 0o600);
				return { engine: 'postgres' as const, file: PG_DUMP_FILE, pgSchema: schema, manifest };
			});
	} finally {
		await o.close();
	}
}

/**
 * Puts a copy back: SQLite into `dataDir` (which must hold no database yet), PostgreSQL into the database at
 * `databaseUrl` (which must not hold the schema's tables yet). Opening it afterwards runs any newer migrations.
 */
export async function putDatabaseBack(
	copy: DatabaseCopy,
	backupDir: string,
	opts: { dataDir: string; databaseUrl?: string }
): Promise<void> {
	const from = join(backupDir, copy.file);
	if (!existsSync(from)) throw new BackupError(`the backup has no ${copy.file}`);
	if (copy.engine === 'sqlite') {
		if (opts.databaseUrl) throw new BackupError('this is a SQLite backup: unset DATABASE_URL to restore it into DATA_DIR');
		const target = join(opts.dataDir, SQLITE_FILE);
		if (existsSync(target) && statSync(target).size > 0) throw new BackupError(`${target} exists: restore into a fresh DATA_DIR`);
		mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
		copyFileSync(from, target);
		chmodSync(target, 0o600);
		return;
	}
	if (!opts.databaseUrl) throw new BackupError('this is a PostgreSQL backup: set DATABASE_URL to the (empty) database to restore into');
	requirePgBinary('pg_restore');
	const schema = copy.pgSchema ?? 'public';
	const target = await schemaState(opts.databaseUrl, schema);
	if (target === 'has-tables')
		throw new BackupError(`schema ${schema} of that database already has Tongxing's tables: restore into an empty database`);
	const args = ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${opts.databaseUrl}`];
	if (target === 'missing') return run('pg_restore', [...args, from]);
	// the dump creates its schema (`CREATE SCHEMA public` too), which fails where the schema exists, as `public` does
	// in every new database: restore everything but that entry and its comment
	const toc = spawnSync('pg_restore', ['--list', from], { encoding: 'utf8' });
	if (toc.status !== 0) throw new BackupError(`pg_restore --list failed: ${toc.stderr.trim()}`);
	const list = join(backupDir, `.restore-list.${process.pid}`);
	writeFileSync(
		list,
		toc.stdout
			.split('\n')
			.filter((line) => !isSchemaEntry(line, schema))
			.join('\n')
	);
	try {
		await run('pg_restore', [...args, `--use-list=${list}`, from]);
	} finally {
		rmSync(list, { force: true });
	}
}

/** A `pg_restore --list` line creating or commenting the schema itself, e.g. "4; 2615 2200 SCHEMA - public owner". */
export function isSchemaEntry(line: string, schema: string): boolean {
	const m = /^\d+; \d+ \d+ (\S+) - (.*)$/.exec(line);
	if (!m) return false;
	return (m[1] === 'SCHEMA' && m[2]!.startsWith(`${schema} `)) || (m[1] === 'COMMENT' && m[2]!.startsWith(`SCHEMA ${schema} `));
}

/** Whether the schema is missing, exists without Tongxing's tables, or holds them already. */
async function schemaState(url: string, schema: string): Promise<'missing' | 'empty' | 'has-tables'> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const exists = await client.query(`select 1 from pg_namespace where nspname = $1`, [schema]);
		if ((exists.rowCount ?? 0) === 0) return 'missing';
		const tables = await client.query(
			`select 1 from information_schema.tables where table_schema = $1 and table_name = 'kysely_migration'`,
			[schema]
		);
		return (tables.rowCount ?? 0) > 0 ? 'has-tables' : 'empty';
	} finally {
		await client.end();
	}
}
