/**
 * TONGXING_SQLITE_SYNCHRONOUS chooses SQLite's `synchronous` for the server and the CLI: FULL by default (every
 * commit's WAL fsynced: acknowledged writes survive a power cut or a kernel read-only remount, docs/drills.md §5),
 * NORMAL when set to normal; anything else stops the start. Options given without it (tests) open with NORMAL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseOptionsFromEnv, openDatabase } from './open.js';

let dir: string | undefined;
afterEach(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
	dir = undefined;
});

async function synchronousOf(env: NodeJS.ProcessEnv): Promise<number> {
	dir = mkdtempSync(join(tmpdir(), 'tongxing-sync-'));
	const o = await openDatabase(databaseOptionsFromEnv({ ...env, DATA_DIR: dir }));
	try {
		return Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(o.db)).rows[0]!.synchronous);
	} finally {
		await o.close();
	}
}

describe('TONGXING_SQLITE_SYNCHRONOUS', () => {
	it('is FULL (2) by default and when set to full, NORMAL (1) when set to normal', async () => {
		expect(await synchronousOf({})).toBe(2);
		expect(await synchronousOf({ TONGXING_SQLITE_SYNCHRONOUS: 'full' })).toBe(2);
		expect(await synchronousOf({ TONGXING_SQLITE_SYNCHRONOUS: 'normal' })).toBe(1);
	});

	it('is NORMAL (1) for options that do not name it', async () => {
		dir = mkdtempSync(join(tmpdir(), 'tongxing-sync-'));
		const o = await openDatabase({ dataDir: dir });
		try {
			expect(Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(o.db)).rows[0]!.synchronous)).toBe(1);
		} finally {
			await o.close();
		}
	});

	it('refuses any other value', () => {
		expect(() => databaseOptionsFromEnv({ TONGXING_SQLITE_SYNCHRONOUS: 'off' })).toThrow(/must be normal or full: off/);
	});
});
