/**
 * Imports never hold the database for the whole upload (sources/import.ts): while a file is still arriving, other
 * requests read and write; nothing of the file is visible in the fact tables until every row is valid; a bad row
 * late in the file leaves nothing behind (staging emptied); an import that dies while applying leaves a run the
 * next import finishes, each row applied exactly once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { ABANDONED_AFTER_MS, IMPORT_BATCH, ImportFailed, importRows } from './import.js';
import { importFile } from './import-file.js';
import { importRowsInWorker } from './import-thread.js';
import { openDatabase } from '../store/open.js';
import { dropPostgresSchema } from '../store/drop-pg-schema.js';
import { KINDS, type RecordKind } from './kinds.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(async () => {
	vi.useRealTimers();
	await f.close();
});

const utf8 = (s: string) => new TextEncoder().encode(s);
const HEADER = 'phone,at,lat,lon,accuracyM\n';
function point(i: number): string {
	const at = new Date(f.clock.now - 3_600_000 - i * 1000).toISOString();
	return `138${String(10_000_000 + (i % 500)).slice(-8)},${at},22.5${i % 10},114.0${i % 7},50\n`;
}
const count = async (t: 'trajectory_points' | 'import_staging' | 'import_runs') =>
	Number(
		(
			await f.deps.db
				.selectFrom(t)
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);
const ctx = () => ({ hmacKey: f.deps.hmacKey, nowMs: f.clock.now });

/** A file of `before` rows, then a pause until `release()` (the upload is still arriving), then `after` rows. */
function pausedFile(before: number, after: number, tail = '') {
	let release!: () => void;
	let paused!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	const reachedGate = new Promise<void>((r) => (paused = r));
	async function* chunks(): AsyncGenerator<Uint8Array> {
		yield utf8(HEADER);
		for (let i = 0; i < before; i++) yield utf8(point(i));
		paused();
		await gate;
		for (let i = before; i < before + after; i++) yield utf8(point(i));
		if (tail) yield utf8(tail);
	}
	return { chunks: chunks(), release, reachedGate };
}

describe('imports in bounded transactions', () => {
	it('lets other requests read and write while the file is still arriving, and shows nothing until it is all valid', async () => {
		const before = 2 * IMPORT_BATCH + 10;
		const file = pausedFile(before, 500);
		let allBeforeParsed!: () => void;
		const parsed = new Promise<void>((r) => (allBeforeParsed = r));
		const importing = importRows(f.deps.db, KINDS.trajectory, file.chunks, ctx(), {
			format: 'csv',
			progressEveryMs: 0,
			// csv-parse holds the last record until the next character arrives
			onProgress: (p) => p.rows >= before - 1 && allBeforeParsed()
		});
		await file.reachedGate;
		await parsed; // the rows before the pause validated (and the full batches among them staged)
		// the old import held the only SQLite connection in one transaction for the whole upload: this would hang
		await f.deps.db.insertInto('meta').values({ key: 'during-import', value: '1' }).execute();
		expect(await count('import_staging')).toBe(2 * IMPORT_BATCH); // staged in full batches so far…
		expect(await count('trajectory_points')).toBe(0); // …and none of it visible as facts
		file.release();
		const result = await importing;
		expect(result.rows).toBe(2 * IMPORT_BATCH + 510);
		expect(await count('trajectory_points')).toBe(2 * IMPORT_BATCH + 510);
		expect(await count('import_staging')).toBe(0);
		expect(await count('import_runs')).toBe(0);
		expect(result.affected.phones.size).toBe(500);
	});

	it('a bad row after thousands of staged rows leaves nothing: no facts, no staging, no run', async () => {
		const file = pausedFile(2 * IMPORT_BATCH + 10, 10, '13800000000,not-a-time,22.5,114.0,50\n');
		file.release();
		const e = await importRows(f.deps.db, KINDS.trajectory, file.chunks, ctx(), { format: 'csv' }).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(ImportFailed);
		expect((e as ImportFailed).errors[0]).toMatchObject({ line: 2 * IMPORT_BATCH + 22, field: 'at' });
		expect(await count('trajectory_points')).toBe(0);
		expect(await count('import_staging')).toBe(0);
		expect(await count('import_runs')).toBe(0);
	});

	it('an import that dies while applying is finished by the next import, each row exactly once', async () => {
		const total = 3 * IMPORT_BATCH + 7;
		let writes = 0;
		const dying: RecordKind<unknown> = {
			...KINDS.trajectory,
			async write(tx, rows, now) {
				if (++writes === 2) throw new Error('connection lost');
				await KINDS.trajectory.write(tx, rows, now);
			}
		};
		const file = pausedFile(total, 0);
		file.release();
		await expect(importRows(f.deps.db, dying, file.chunks, ctx(), { format: 'csv' })).rejects.toThrow('connection lost');
		expect(await count('trajectory_points')).toBe(IMPORT_BATCH); // the first batch is in, the rest still staged
		expect(await count('import_staging')).toBe(total - IMPORT_BATCH);

		// a run that is still being worked on (by another process, say) is left alone…
		const next = pausedFile(1, 0);
		next.release();
		await importRows(f.deps.db, KINDS.trajectory, next.chunks, ctx(), { format: 'csv' });
		expect(await count('trajectory_points')).toBe(IMPORT_BATCH + 1);
		// …one untouched for ABANDONED_AFTER_MS is finished by the next import, which recolours whoever it affects
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(Date.now() + ABANDONED_AFTER_MS + 1000);
		const later = pausedFile(1, 0);
		later.release();
		const r = await importRows(f.deps.db, KINDS.trajectory, later.chunks, ctx(), { format: 'csv' });
		expect(await count('trajectory_points')).toBe(total + 2);
		expect(await count('import_staging')).toBe(0);
		expect(await count('import_runs')).toBe(0);
		expect(r.affected.phones.size).toBe(500);
	});
});

describe('imports off the server thread (import-thread.ts)', () => {
	it('runs in a worker on its own connection: same rows, same refusals, nothing left staged', async () => {
		const deps = { ...f.deps, databaseOptions: { dataDir: f.deps.dataDir } };
		const file = pausedFile(IMPORT_BATCH + 5, 0);
		file.release();
		const ok = await importFile(deps, 'trajectory', file.chunks, { format: 'csv' }, 'test');
		expect(ok.rows).toBe(IMPORT_BATCH + 5);
		expect(await count('trajectory_points')).toBe(IMPORT_BATCH + 5);

		const bad = pausedFile(10, 0, '13800000000,not-a-time,22.5,114.0,50\n');
		bad.release();
		const e = await importFile(deps, 'trajectory', bad.chunks, { format: 'csv' }, 'test').catch((x: unknown) => x);
		expect(e).toBeInstanceOf(ImportFailed);
		expect((e as ImportFailed).errors[0]).toMatchObject({ line: 12, field: 'at', code: 'time/format' });
		expect(await count('trajectory_points')).toBe(IMPORT_BATCH + 5);
		expect(await count('import_staging')).toBe(0);
	}, 30_000);
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('imports off the server thread on PostgreSQL', () => {
	it('the worker imports through its own pool into the same schema', async () => {
		const options = { databaseUrl: process.env.TEST_DATABASE_URL!, pgSchema: `t_import_worker_${Date.now().toString(36)}` };
		const pg = await openDatabase(options);
		try {
			const file = pausedFile(IMPORT_BATCH + 5, 0);
			file.release();
			const r = await importRowsInWorker(options, 'trajectory', file.chunks, ctx(), { format: 'csv' });
			expect(r.rows).toBe(IMPORT_BATCH + 5);
			const n = await pg.db
				.selectFrom('trajectory_points')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			expect(Number(n.n)).toBe(IMPORT_BATCH + 5);
			const staged = await pg.db.selectFrom('import_staging').selectAll().execute();
			expect(staged).toEqual([]);
		} finally {
			await pg.close();
			await dropPostgresSchema(options.databaseUrl, options.pgSchema);
		}
	}, 30_000);
});
