/**
 * Catalogue case 17: the server killed *during* a scan batch (not after it). A child process runs ingestScans()
 * on the same database and is SIGKILLed while its transaction has inserted the batch's rows but not committed
 * (src/lib/testing/ingest-until-killed.ts). Afterwards nothing of the batch is stored; the device's retry stores
 * every event exactly once, and a second retry is all duplicates: final server set = client set. SQLite (WAL
 * recovery on the next open); PostgreSQL too when TEST_DATABASE_URL is set (the killed connection rolls back).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { chainScanEvent, type ScanEvent } from '../../core/scan-log.js';
import { dropPostgresSchema } from '../store/drop-pg-schema.js';
import { openDatabase, type OpenOptions } from '../store/open.js';
import { addVenue, enrolGuard, guardForToken } from './guards.js';
import { ingestScans, MAX_BATCH } from './ingest.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const PG = process.env.TEST_DATABASE_URL;
const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function killedMidBatch(options: OpenOptions): Promise<void> {
	const work = mkdtempSync(join(tmpdir(), 'tongxing-sigkill-'));
	dirs.push(work);
	const key = randomBytes(32);
	let opened = await openDatabase(options);
	const venue = await addVenue(opened.db, { name: '南山图书馆', region: '440305', policy: 'green-only', nowMs: Date.now() });
	const { token } = await enrolGuard(opened.db, key, venue, Date.now());
	const device = await guardForToken(opened.db, key, token);
	if (!device || device === 'revoked') throw new Error('no device');
	await opened.close();

	const events: ScanEvent[] = [];
	let prev: ScanEvent | null = null;
	for (let i = 0; i < MAX_BATCH; i++) {
		prev = chainScanEvent(prev, {
			eventId: `kill-${String(i).padStart(6, '0')}`,
			deviceId: device.id,
			venueId: device.venue_id,
			scannedAt: Date.now() - 60_000 + i,
			codeId: 'AAAAAAAAAAAAAAAA',
			verdict: 'valid',
			reason: 'ok'
		});
		events.push(prev);
	}
	const batchFile = join(work, 'batch.json');
	writeFileSync(batchFile, JSON.stringify({ device: { id: device.id, venue_id: device.venue_id }, events }));

	const child = spawn(process.execPath, ['bin/run-ts.js', 'src/lib/testing/ingest-until-killed.ts', JSON.stringify(options), batchFile], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	let err = '';
	child.stderr.on('data', (b: Buffer) => (err += b.toString()));
	const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
	await new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (b: Buffer) => {
			out += b.toString();
			if (out.includes('in-flight')) resolve();
		});
		void exited.then(() => reject(new Error(`the ingest child exited before its batch was in flight: ${out} ${err}`)));
	});
	child.kill('SIGKILL'); // by PID: the child this test started
	expect(await exited).toBe('SIGKILL');
	expect(out).not.toContain('committed');

	opened = await openDatabase(options);
	try {
		const stored = () =>
			opened.db.selectFrom('scan_events').select(['event_id', 'seq']).where('device_id', '=', device.id).orderBy('seq').execute();
		expect(await stored()).toEqual([]); // nothing of the half-done batch survived
		const retry = await ingestScans(opened.db, device, events, Date.now());
		expect(retry.acks.every((a) => a.status === 'accepted')).toBe(true);
		const again = await ingestScans(opened.db, device, events, Date.now());
		expect(again.acks.every((a) => a.status === 'duplicate')).toBe(true);
		const rows = await stored();
		expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.eventId));
		expect(rows.map((r) => r.seq)).toEqual(events.map((e) => e.seq));
	} finally {
		await opened.close();
	}
}

describe('SIGKILL during a scan batch', () => {
	it('SQLite: the killed transaction leaves nothing; the retry stores each event exactly once', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-sigkill-db-'));
		dirs.push(dataDir);
		await killedMidBatch({ dataDir });
	}, 60_000);

	it.skipIf(!PG)(
		'PostgreSQL: the killed connection rolls back; the retry stores each event exactly once',
		async () => {
			const pgSchema = `t_sigkill_${randomBytes(4).toString('hex')}`;
			try {
				await killedMidBatch({ databaseUrl: PG!, pgSchema });
			} finally {
				await dropPostgresSchema(PG!, pgSchema);
			}
		},
		60_000
	);
});
