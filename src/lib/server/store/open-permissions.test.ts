import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, SQLITE_FILE } from './open.js';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the SQLite data folder and files are the owner’s only', () => {
	it('creates DATA_DIR 0700 and the database, WAL and shared-memory files 0600', async () => {
		const dir = join(mkdtempSync(join(tmpdir(), 'tx-perm-')), 'data');
		dirs.push(join(dir, '..'));
		const opened = await openDatabase({ dataDir: dir });
		await opened.db.selectFrom('accounts').select('id').execute(); // touch the WAL
		expect(mode(dir)).toBe(0o700);
		for (const f of [SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`]) expect(mode(join(dir, f))).toBe(0o600);
		await opened.close();
	});

	it('tightens a folder and file an older version left 0755 / 0644', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tx-perm-'));
		dirs.push(dir);
		mkdirSync(dir, { recursive: true });
		chmodSync(dir, 0o755);
		const first = await openDatabase({ dataDir: dir });
		await first.close();
		chmodSync(join(dir, SQLITE_FILE), 0o644);
		writeFileSync(join(dir, 'marker'), '');
		const again = await openDatabase({ dataDir: dir });
		expect(mode(dir)).toBe(0o700);
		expect(mode(join(dir, SQLITE_FILE))).toBe(0o600);
		await again.close();
	});
});
