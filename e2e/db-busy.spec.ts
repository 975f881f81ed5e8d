/**
 * A busy database answers 503 + Retry-After, never 500 (issue 13: a second instance on the same SQLite file
 * answered 500 "database is locked"). Another process holds the write lock of the server's SQLite file (as a second
 * instance in the middle of a write would); a write request waits the server's busy_timeout and is answered
 * `503 db/busy` with Retry-After; reads keep being answered meanwhile (WAL); once the lock is released the same
 * request succeeds.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4319}`;
const DB_FILE = join(import.meta.dirname, '..', 'test-results', 'e2e-data', 'tongxing.sqlite');

test('a write that cannot get the SQLite lock is answered 503 db/busy with Retry-After; reads go on', async ({ request }) => {
	test.setTimeout(60_000);
	const otp = () =>
		request.post(`${ORIGIN}/api/v1/auth/otp`, { data: { phone: '13800138009' }, headers: { origin: ORIGIN }, failOnStatusCode: false });
	expect((await request.get(`${ORIGIN}/api/v1/health`)).status()).toBe(200); // the server is up and migrated

	const other = new Database(DB_FILE);
	try {
		other.exec('begin immediate'); // the other instance's write transaction
		// readers are never blocked (WAL): the health check reads the database and answers 200
		const read = await request.get(`${ORIGIN}/api/v1/health`);
		expect(read.status()).toBe(200);
		const busy = await otp();
		expect(busy.status()).toBe(503);
		expect(busy.headers()['retry-after']).toBe('2');
		expect(await busy.json()).toMatchObject({ code: 'db/busy', status: 503 });
	} finally {
		if (other.inTransaction) other.exec('rollback');
		other.close();
	}
	expect((await otp()).status()).toBe(200);
});
