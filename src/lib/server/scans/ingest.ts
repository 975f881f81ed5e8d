/**
 * Scan batches from guard devices. Idempotent by the client's event id; one ack per item (accepted /
 * duplicate / rejected with a reason); a malformed item never blocks the rest. Each device's hash chain is
 * checked: an item must link to the hash of the device's previous event when that event is here. Items that
 * arrive after a gap (an earlier seq never received) are still stored — losing scans would be worse — and
 * the gap is reported, so the device re-sends the missing range.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { scanEventHash, SCAN_CHAIN_GENESIS, type ScanEvent } from '../../core/scan-log.js';
import { isUniqueViolation } from '../db/errors.js';

export const MAX_BATCH = 500;
const VERDICTS = new Set(['valid', 'invalid', 'unverifiable']);
const FIELDS = new Set(['eventId', 'seq', 'scannedAt', 'codeId', 'verdict', 'reason', 'prevHash', 'hash', 'venueId', 'deviceId']);

export type ScanAck =
	| { eventId: string; status: 'accepted' | 'duplicate'; seq: number }
	| { eventId: string | null; status: 'rejected'; reason: string };

export interface IngestResult {
	acks: ScanAck[];
	/** seq ranges (inclusive) below the highest received that this device has not delivered. */
	gaps: [number, number][];
}

export interface GuardDevice {
	id: string;
	venue_id: string;
}

function parseItem(x: unknown, device: GuardDevice): ScanEvent | string {
	if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'not-an-object';
	const o = x as Record<string, unknown>;
	if (Object.keys(o).some((k) => !FIELDS.has(k))) return 'unknown-field';
	if (typeof o.eventId !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(o.eventId)) return 'bad-event-id';
	if (!Number.isSafeInteger(o.seq) || (o.seq as number) < 1) return 'bad-seq';
	if (!Number.isSafeInteger(o.scannedAt) || (o.scannedAt as number) < 0) return 'bad-time';
	if (o.codeId !== null && (typeof o.codeId !== 'string' || o.codeId.length > 64)) return 'bad-code-id';
	if (typeof o.verdict !== 'string' || !VERDICTS.has(o.verdict)) return 'bad-verdict';
	if (typeof o.reason !== 'string' || o.reason.length > 64) return 'bad-reason';
	if (typeof o.prevHash !== 'string' || typeof o.hash !== 'string') return 'bad-hash';
	if (o.deviceId !== undefined && o.deviceId !== device.id) return 'wrong-device';
	if (o.venueId !== undefined && o.venueId !== device.venue_id) return 'wrong-venue';
	const e: ScanEvent = {
		eventId: o.eventId,
		deviceId: device.id,
		seq: o.seq as number,
		venueId: device.venue_id,
		scannedAt: o.scannedAt as number,
		codeId: o.codeId,
		verdict: o.verdict as ScanEvent['verdict'],
		reason: o.reason,
		prevHash: o.prevHash,
		hash: o.hash
	};
	return scanEventHash(e) === e.hash ? e : 'bad-hash';
}

function eventIdOf(item: unknown): string | null {
	const id = (item as { eventId?: unknown } | null)?.eventId;
	return typeof id === 'string' ? id.slice(0, 64) : null;
}

export async function ingestScans(db: Kysely<Database>, device: GuardDevice, items: unknown, nowMs: number): Promise<IngestResult> {
	if (!Array.isArray(items)) return { acks: [{ eventId: null, status: 'rejected', reason: 'not-a-list' }], gaps: [] };
	const acks: ScanAck[] = [];
	const parsed: ScanEvent[] = [];
	items.forEach((item, i) => {
		if (i >= MAX_BATCH) return acks.push({ eventId: eventIdOf(item), status: 'rejected', reason: 'batch-too-large' });
		const e = parseItem(item, device);
		if (typeof e === 'string') acks.push({ eventId: eventIdOf(item), status: 'rejected', reason: e });
		else parsed.push(e);
	});
	parsed.sort((a, b) => a.seq - b.seq);
	for (const e of parsed) acks.push(await ingestOne(db, device, e, nowMs));
	return { acks, gaps: await findGaps(db, device.id) };
}

async function ingestOne(db: Kysely<Database>, device: GuardDevice, e: ScanEvent, nowMs: number): Promise<ScanAck> {
	const existing = await db
		.selectFrom('scan_events')
		.select(['event_id', 'seq', 'hash'])
		.where('device_id', '=', device.id)
		.where((eb) => eb.or([eb('event_id', '=', e.eventId), eb('seq', '=', e.seq)]))
		.execute();
	if (existing.some((x) => x.event_id === e.eventId && x.hash === e.hash)) return { eventId: e.eventId, status: 'duplicate', seq: e.seq };
	if (existing.length) return { eventId: e.eventId, status: 'rejected', reason: 'seq-or-id-conflict' };
	const prev =
		e.seq === 1
			? { hash: SCAN_CHAIN_GENESIS }
			: await db.selectFrom('scan_events').select('hash').where('device_id', '=', device.id).where('seq', '=', e.seq - 1).executeTakeFirst();
	if (prev && prev.hash !== e.prevHash) return { eventId: e.eventId, status: 'rejected', reason: 'chain-broken' };
	try {
		await db
			.insertInto('scan_events')
			.values({
				event_id: e.eventId,
				device_id: device.id,
				seq: e.seq,
				prev_hash: e.prevHash,
				hash: e.hash,
				code_id: e.codeId,
				verdict: e.verdict,
				reason: e.reason,
				scanned_at: e.scannedAt,
				received_at: nowMs,
				venue_id: device.venue_id
			})
			.execute();
		return { eventId: e.eventId, status: 'accepted', seq: e.seq };
	} catch (err) {
		// Two tabs or two instances racing with the same event: the other insert won.
		if (!isUniqueViolation(err)) throw err;
		return { eventId: e.eventId, status: 'duplicate', seq: e.seq };
	}
}

export async function findGaps(db: Kysely<Database>, deviceId: string): Promise<[number, number][]> {
	const rows = await db.selectFrom('scan_events').select('seq').where('device_id', '=', deviceId).orderBy('seq').execute();
	const gaps: [number, number][] = [];
	let expected = 1;
	for (const { seq } of rows) {
		if (seq > expected) gaps.push([expected, seq - 1]);
		expected = seq + 1;
	}
	return gaps;
}
