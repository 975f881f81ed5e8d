/**
 * A busy database answers 503 db/busy with Retry-After, never 500: two real connections on one SQLite file (as two
 * server instances on one DATA_DIR would have), one holding a write transaction, the other's write through
 * respond() waiting busy_timeout and then answered 503. PostgreSQL's busy SQLSTATEs and pg's pool timeout are
 * recognised the same way (store/errors.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../store/open.js';
import { isDatabaseBusy } from '../store/errors.js';
import { jsonResponse, respond } from './respond.js';

const opened: OpenDatabase[] = [];
let dir: string | undefined;
afterEach(async () => {
	for (const o of opened.splice(0)) await o.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
	dir = undefined;
});

describe('db/busy', () => {
	it('a write that finds another connection holding the SQLite write lock is answered 503 + Retry-After', async () => {
		dir = mkdtempSync(join(tmpdir(), 'tongxing-busy-'));
		const first = await openDatabase({ dataDir: dir });
		opened.push(first);
		const second = await openDatabase({ dataDir: dir });
		opened.push(second);

		let release!: () => void;
		let holding!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const held = new Promise<void>((r) => (holding = r));
		const holder = first.db.transaction().execute(async (tx) => {
			await tx.insertInto('meta').values({ key: 'holder', value: '1' }).execute();
			holding();
			await gate;
		});
		await held;

		// the other instance: readers are never blocked (WAL)…
		expect(await second.db.selectFrom('meta').select('key').where('key', '=', 'holder').execute()).toEqual([]);
		// …a writer waits busy_timeout, then the route answers 503, not 500
		const res = await respond(async () => {
			await second.db.insertInto('meta').values({ key: 'other', value: '1' }).execute();
			return jsonResponse({ ok: true });
		});
		expect(res.status).toBe(503);
		expect(res.headers.get('retry-after')).toBe('2');
		expect(await res.json()).toMatchObject({ code: 'db/busy', status: 503 });

		release();
		await holder;
		// and once the lock is free, the retry succeeds
		const again = await respond(async () => {
			await second.db.insertInto('meta').values({ key: 'other', value: '1' }).execute();
			return jsonResponse({ ok: true });
		});
		expect(again.status).toBe(200);
	}, 20_000);

	it('recognises PostgreSQL lock/statement timeouts, connection limits and the pool timeout; not other errors', () => {
		for (const code of ['55P03', '57014', '53300', '40001', '40P01', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']) {
			expect(isDatabaseBusy(Object.assign(new Error('x'), { code })), code).toBe(true);
		}
		expect(isDatabaseBusy(new Error('timeout exceeded when trying to connect'))).toBe(true);
		for (const code of ['23505', 'SQLITE_CONSTRAINT_UNIQUE', '42P01']) {
			expect(isDatabaseBusy(Object.assign(new Error('x'), { code })), code).toBe(false);
		}
		expect(isDatabaseBusy(new Error('boom'))).toBe(false);
	});
});
