/**
 * The CLI as a user runs it, for the cli-*.test.ts files: a real process (bin/tongxing.js), a real data directory
 * and exit codes. `cliDataDir()` gives the calling test file its own data directory, with keys (`keys init --region
 * 440300`) made before its first test, so the files can run in parallel without sharing state.
 *
 * `sqlite()` opens the data directory's database file directly, as an operator could: to look at what a command
 * stored, or to tamper with it. It is the one place outside the store that imports the driver
 * (KYSELY_NOT_YET_IN_STORE in eslint.config.js).
 */
import { execFile, type PromiseWithChild } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { beforeAll, expect } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/tongxing.js');

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

export interface CliDataDir {
	/** the data directory (set before the file's first test) */
	readonly path: string;
	/** runs `tongxing ARGS` to the end (standard input `input`, if given) */
	readonly tx: (args: string[], input?: string) => Promise<CliResult>;
	/** starts `tongxing ARGS` without waiting: for a test that writes standard input itself */
	readonly start: (args: string[]) => PromiseWithChild<{ stdout: string; stderr: string }>;
	/** the data directory's SQLite file, opened directly (close it when done) */
	readonly sqlite: (options?: { readonly: boolean }) => Database.Database;
}

/** One line of `tongxing verify` output. */
export const json = (text: string) => JSON.parse(text) as { verdict: string; reason: string };

/** A fresh data directory with keys for the calling test file (registers its beforeAll). */
export function cliDataDir(): CliDataDir {
	let path = '';
	const start = (args: string[]) => run(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: path } });
	const tx = async (args: string[], input?: string): Promise<CliResult> => {
		const child = start(args);
		if (input !== undefined) {
			child.child.stdin!.end(input);
		}
		try {
			const { stdout, stderr } = await child;
			return { code: 0, stdout, stderr };
		} catch (e) {
			const err = e as { code: number; stdout: string; stderr: string };
			return { code: err.code, stdout: err.stdout, stderr: err.stderr };
		}
	};
	beforeAll(async () => {
		path = mkdtempSync(join(tmpdir(), 'tongxing-cli-'));
		const init = await tx(['keys', 'init', '--region', '440300']);
		expect(init.code).toBe(0);
	}, 60_000);
	return {
		get path() {
			return path;
		},
		tx,
		start,
		sqlite: (options) => new Database(join(path, 'tongxing.sqlite'), options)
	};
}
