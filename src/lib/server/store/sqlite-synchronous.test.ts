/**
 * TONGXING_SQLITE_SYNCHRONOUS chooses SQLite's `synchronous`: NORMAL by default, FULL when set to full (every commit's
 * WAL fsynced: acknowledged writes survive a power cut or a kernel read-only remount, docs/drills.md §5); anything else
 * stops the start.
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
	it('is NORMAL (1) by default and FULL (2) when set to full', async () => {
		expect(await synchronousOf({})).toBe(1);
		expect(await synchronousOf({ TONGXING_SQLITE_SYNCHRONOUS: 'full' })).toBe(2);
	});

	it('refuses any other value', () => {
		expect(() => databaseOptionsFromEnv({ TONGXING_SQLITE_SYNCHRONOUS: 'off' })).toThrow(/must be normal or full: off/);
	});
});
