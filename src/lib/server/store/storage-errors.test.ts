/**
 * A full disk or a read-only data directory surfaces as the storage error itself (storageFailure names it; http/
 * respond.ts answers 503 storage/* + Retry-After, tested in http/storage-respond.test.ts), never as a rollback error,
 * and the write is refused whole. Here the "disk" is SQLite's own size limit (PRAGMA max_page_count: SQLite answers SQLITE_FULL as it
 * does on ENOSPC); the drill (scripts/drill/scenarios/disk-full.ts) fills a real tmpfs and remounts a real ext4 image
 * read-only under the running server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { dropPostgresSchema } from './drop-pg-schema.js';
import { openDatabase, type OpenDatabase } from './open.js';
import { storageFailure } from './errors.js';

const PG = process.env.TEST_DATABASE_URL;
const opened: OpenDatabase[] = [];
const schemas: string[] = [];
let dir: string | undefined;
afterEach(async () => {
	for (const o of opened.splice(0)) await o.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
	dir = undefined;
	for (const s of schemas.splice(0)) await dropPostgresSchema(PG!, s);
});

const err = (code: string) => Object.assign(new Error(code), { code });

describe('storageFailure', () => {
	it('names SQLite and PostgreSQL storage errors and nothing else', () => {
		expect(storageFailure(err('SQLITE_FULL'))).toBe('storage/full');
		expect(storageFailure(err('53100'))).toBe('storage/full');
		expect(storageFailure(err('SQLITE_READONLY'))).toBe('storage/read-only');
		expect(storageFailure(err('SQLITE_READONLY_DBMOVED'))).toBe('storage/read-only');
		expect(storageFailure(err('25006'))).toBe('storage/read-only');
		expect(storageFailure(err('SQLITE_IOERR_WRITE'))).toBe('storage/io-error');
		expect(storageFailure(err('58030'))).toBe('storage/io-error');
		for (const other of ['SQLITE_BUSY', 'SQLITE_CONSTRAINT_UNIQUE', '23505', 'SQLITE_READONLYX', 'ENOSPC']) {
			expect(storageFailure(err(other))).toBeUndefined();
		}
		expect(storageFailure(new Error('no code'))).toBeUndefined();
		expect(storageFailure('SQLITE_FULL')).toBeUndefined();
	});
});

describe('a full SQLite database', () => {
	it('fails a transaction with SQLITE_FULL, writes nothing, and takes the same write when space returns', async () => {
		dir = mkdtempSync(join(tmpdir(), 'tongxing-full-'));
		const o = await openDatabase({ dataDir: dir });
		opened.push(o);
		const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(o.db)).rows[0]!.page_count);
		await sql.raw(`pragma max_page_count = ${pages + 2}`).execute(o.db);

		const big = 'x'.repeat(64 * 1024);
		const write = async (key: string): Promise<unknown> => {
			try {
				await o.db.transaction().execute(async (tx) => {
					await tx
						.insertInto('meta')
						.values({ key: `${key}-a`, value: 'small' })
						.execute();
					await tx
						.insertInto('meta')
						.values({ key: `${key}-b`, value: big })
						.execute();
				});
				return 'ok';
			} catch (e) {
				return e;
			}
		};
		// the error that reaches the route is SQLITE_FULL, not Kysely's failed ROLLBACK after SQLite's own
		expect(storageFailure(await write('first'))).toBe('storage/full');
		// the transaction's first, small row did not stay behind
		expect(await o.db.selectFrom('meta').select('key').where('key', 'like', 'first-%').execute()).toEqual([]);
		expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(o.db)).rows[0]!.integrity_check).toBe('ok');

		await sql.raw(`pragma max_page_count = 1073741823`).execute(o.db);
		expect(await write('first')).toBe('ok');
		expect((await o.db.selectFrom('meta').select('key').where('key', 'like', 'first-%').execute()).length).toBe(2);
	});
});

describe.skipIf(!PG)('a read-only PostgreSQL transaction', () => {
	it('fails a write with SQLSTATE 25006, named storage/read-only, and the pool goes on', async () => {
		const schema = `ro_${randomBytes(5).toString('hex')}`;
		schemas.push(schema);
		const o = await openDatabase({ databaseUrl: PG!, pgSchema: schema });
		opened.push(o);
		let failure: unknown;
		try {
			// what a standby or default_transaction_read_only does to every transaction
			await o.db.transaction().execute(async (tx) => {
				await sql`set transaction read only`.execute(tx);
				await tx.insertInto('meta').values({ key: 'ro', value: '1' }).execute();
			});
		} catch (e) {
			failure = e;
		}
		expect(storageFailure(failure)).toBe('storage/read-only');
		await o.db.insertInto('meta').values({ key: 'rw', value: '1' }).execute();
		expect(await o.db.selectFrom('meta').select('key').where('key', 'in', ['ro', 'rw']).execute()).toEqual([{ key: 'rw' }]);
	});
});
