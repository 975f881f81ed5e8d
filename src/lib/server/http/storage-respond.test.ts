/**
 * respond() answers a storage failure (store/errors.ts storageFailure) 503 with its own code and Retry-After, never
 * 500; the real SQLITE_FULL inside a transaction is in store/storage-errors.test.ts, the real full tmpfs and
 * read-only ext4 under a running server in the drill (scripts/drill/scenarios/disk-full.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { respond, STORAGE_RETRY_AFTER_S } from './respond.js';

afterEach(() => vi.restoreAllMocks());

const failing = (code: string) => () => Promise.reject(Object.assign(new Error(`driver says ${code}`), { code }));

describe('storage failures through respond()', () => {
	it.each([
		['SQLITE_FULL', 'storage/full'],
		['53100', 'storage/full'],
		['SQLITE_READONLY', 'storage/read-only'],
		['SQLITE_READONLY_DBMOVED', 'storage/read-only'],
		['25006', 'storage/read-only'],
		['SQLITE_IOERR_WRITE', 'storage/io-error'],
		['58030', 'storage/io-error']
	])('%s → 503 %s with Retry-After', async (driverCode, code) => {
		vi.spyOn(console, 'error').mockImplementation(() => {});
		const res = await respond(failing(driverCode));
		expect(res.status).toBe(503);
		expect(res.headers.get('retry-after')).toBe(String(STORAGE_RETRY_AFTER_S));
		expect(await res.json()).toMatchObject({ code, status: 503 });
	});

	it.each(['22021', '22P05'])(
		'PostgreSQL refusing text it cannot store (%s, e.g. U+0000 from a path parameter) → 400 request/invalid',
		async (driverCode) => {
			const res = await respond(failing(driverCode));
			expect(res.status).toBe(400);
			expect(await res.json()).toMatchObject({ code: 'request/invalid', status: 400 });
		}
	);

	it('anything else unexpected is still 500 internal', async () => {
		vi.spyOn(console, 'error').mockImplementation(() => {});
		const res = await respond(failing('SQLITE_CORRUPT'));
		expect(res.status).toBe(500);
		expect(await res.json()).toMatchObject({ code: 'internal' });
	});
});
