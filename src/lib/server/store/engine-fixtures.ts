/**
 * Test support for the suites that run on every engine (storage.contract.test.ts and the other *.contract tests):
 * SQLite always, in a fresh temporary folder per location; PostgreSQL when TEST_DATABASE_URL is set, in a fresh
 * schema per location, dropped at cleanup so runs on one database stay isolated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Engine, OpenOptions } from './open';

/** One engine: how to make a fresh, empty storage location to open (once or several times). */
export interface EngineFixture {
	engine: Engine;
	/** Options for a new storage location nobody else uses. */
	fresh(): OpenOptions;
	/** The PostgreSQL schema of those options (for migrateToLatest), undefined on SQLite. */
	schemaOf(options: OpenOptions): string | undefined;
	/** Removes every location made since the last cleanup. */
	cleanup(): Promise<void>;
}

const RUN_ID = `${process.pid}_${Date.now().toString(36)}`;

/** `prefix` names the folders (tongxing-<prefix>-…) so a leftover says which suite made it. */
export function sqliteFixture(prefix: string): EngineFixture {
	const dirs: string[] = [];
	return {
		engine: 'sqlite',
		fresh() {
			const dir = mkdtempSync(join(tmpdir(), `tongxing-${prefix}-`));
			dirs.push(dir);
			return { dataDir: dir };
		},
		schemaOf: () => undefined,
		cleanup() {
			for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
			return Promise.resolve();
		}
	};
}

/** `prefix` names the schemas (tx_<prefix>_<pid>_<time>_<n>). */
export function postgresFixture(url: string, prefix: string): EngineFixture {
	const schemas: string[] = [];
	let made = 0;
	return {
		engine: 'postgres',
		fresh() {
			const schema = `tx_${prefix}_${RUN_ID}_${made++}`;
			schemas.push(schema);
			return { databaseUrl: url, pgSchema: schema };
		},
		schemaOf: (options) => options.pgSchema,
		async cleanup() {
			const client = new pg.Client({ connectionString: url });
			await client.connect();
			try {
				for (const schema of schemas.splice(0)) await client.query(`drop schema if exists "${schema}" cascade`);
			} finally {
				await client.end();
			}
		}
	};
}

/** SQLite, and PostgreSQL when TEST_DATABASE_URL is set. */
export function engineFixtures(prefix: string): EngineFixture[] {
	const url = process.env.TEST_DATABASE_URL || undefined;
	return url ? [sqliteFixture(prefix), postgresFixture(url, prefix)] : [sqliteFixture(prefix)];
}
