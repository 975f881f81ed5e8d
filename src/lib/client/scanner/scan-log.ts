/**
 * The scan log: every scan is written to the outbox, hash-chained (core/scan-log.ts), before its verdict is
 * shown. Sequence allocation and the chain head live in one IndexedDB read-write transaction over meta and
 * outbox, so two tabs scanning at once are serialised by IndexedDB and can never write the same seq or fork
 * the chain (the &seq index would also refuse a duplicate).
 */
import { toBase64Url } from '$lib/core/bytes';
import { chainScanEvent, type ScanEvent } from '$lib/core/scan-log';
import { scanEventOf, type ScanRegistration } from '$lib/core/contract/scan-event';
import type { VerdictKind } from '$lib/core/verdict';
import { scannerDb, type OutboxEntry } from './db';

export interface ChainHead {
	seq: number;
	hash: string;
}

export function newEventId(): string {
	return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

export async function recordScan(e: {
	deviceId: string;
	venueId: string;
	scannedAt: number;
	codeId: string | null;
	verdict: VerdictKind;
	reason: string;
}): Promise<ScanEvent> {
	const db = scannerDb();
	return db.transaction('rw', db.meta, db.outbox, async () => {
		const head = (await db.meta.get('chainHead'))?.value as ChainHead | undefined;
		const event = chainScanEvent(head ?? null, { eventId: newEventId(), ...e });
		await db.outbox.add({ ...event, state: 'pending' });
		await db.meta.put({ key: 'chainHead', value: { seq: event.seq, hash: event.hash } satisfies ChainHead });
		return event;
	});
}

/**
 * Attaches a registration (yellow admitted after registration) to a logged scan and queues it for upload again:
 * the server attaches it to the scan it already holds (the event's hash is unchanged). Kept and purged with the scan.
 */
export async function registerScan(eventId: string, registration: ScanRegistration): Promise<void> {
	const db = scannerDb();
	await db.transaction('rw', db.outbox, async () => {
		const row = await db.outbox.get(eventId);
		if (!row) throw new Error('scan not in the log');
		await db.outbox.update(eventId, { registration, ...(row.state === 'uploaded' ? { state: 'pending' as const } : {}) });
	});
}

export interface LogStats {
	pending: number;
	oldestPendingAt: number | null;
	uploaded: number;
	rejected: number;
	lastSeq: number;
}

export async function logStats(): Promise<LogStats> {
	const db = scannerDb();
	return db.transaction('r', db.meta, db.outbox, async () => {
		const pending = await db.outbox.where('state').equals('pending').sortBy('seq');
		const head = (await db.meta.get('chainHead'))?.value as ChainHead | undefined;
		return {
			pending: pending.length,
			oldestPendingAt: pending.length ? Math.min(...pending.map((p) => p.scannedAt)) : null,
			uploaded: await db.outbox.where('state').equals('uploaded').count(),
			rejected: await db.outbox.where('state').equals('rejected').count(),
			lastSeq: head?.seq ?? 0
		};
	});
}

/** Everything still on the device, in the upload format (`{ events }` is a valid POST /api/v1/scans body). */
export async function exportLog(meta: { deviceId: string; venueId: string; now: number }): Promise<string> {
	const rows = await scannerDb().outbox.orderBy('seq').toArray();
	const events = rows.map(scanEventOf);
	const states = Object.fromEntries(rows.map((r) => [r.eventId, r.state]));
	return JSON.stringify(
		{ v: 1, deviceId: meta.deviceId, venueId: meta.venueId, exportedAt: new Date(meta.now).toISOString(), states, events },
		null,
		1
	);
}

/** Deletes entries uploaded more than `retentionMs` ago. The chain head stays in meta, so seq keeps counting. */
export async function purgeUploaded(now: number, retentionMs: number): Promise<number> {
	return scannerDb()
		.outbox.where('uploadedAt')
		.below(now - retentionMs)
		.delete();
}

export type { OutboxEntry };
