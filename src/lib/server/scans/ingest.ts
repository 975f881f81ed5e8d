/**
 * Scan batches from guard devices. Idempotent by the client's event id; one ack per item (accepted /
 * duplicate / rejected with a reason); a malformed item never blocks the rest. Each device's hash chain is
 * checked: an item must link to the hash of the device's previous event when that event is here. Items that
 * arrive after a gap (an earlier seq never received) are still stored — losing scans would be worse — and
 * the gap is reported, so the device re-sends the missing range.
 *
 * One batch is one transaction with a constant number of statements (measured 10× faster than a statement
 * per event, bench/server.ts) — five for an in-order upload: 1. the device's watermark (guard_devices.last_seq:
 * every seq up to it is stored); 2. the batch's event ids by event id (not "AND device_id = ?": SQLite would
 * then walk the device's history by its (device_id, seq) key); 3. the device's rows above the watermark, which
 * hold the batch's predecessors and what the gaps are computed from (a batch re-sending an older range reads its
 * seqs and predecessors instead, and the rows above the watermark after its insert); then the rules in memory,
 * in seq order, earlier accepted items of the batch counting as stored; 4. one multi-row INSERT … ON CONFLICT DO
 * NOTHING RETURNING (a row not returned lost a race with another instance: 'duplicate'); 5. the watermark moved
 * up. The work is O(batch + rows above the watermark), not O(history), and purged old events leave no gap.
 * The chain hash is checked with node:crypto (scan-hash.ts), byte-identical to the core's scanEventHash. The
 * statements themselves live in store/scans.ts.
 */
import type { Db } from '../store/db.js';
import {
	attachScanRegistrations,
	deviceScanEvents,
	insertScanEvents,
	raiseScanWatermark,
	scanEventsAbove,
	scanEventsByIds,
	scanWatermark
} from '../store/scans.js';
import { SCAN_CHAIN_GENESIS, type ScanEvent } from '../../core/scan-log.js';
import {
	checkRegistration,
	MAX_SCAN_BATCH,
	SCAN_EVENT_FIELDS,
	SCAN_VERDICTS,
	type ScanAck,
	type ScanUploadResponse
} from '../../core/contract/scan-event.js';
import { inTransaction } from '../store/open.js';
import { sealPhone } from '../crypto/phone-seal.js';
import { nodeScanEventHash } from './scan-hash.js';

export const MAX_BATCH = MAX_SCAN_BATCH;
const INSERT_CHUNK = 500;

export type HashFn = (e: Omit<ScanEvent, 'hash'>) => string;
const VERDICTS = new Set<string>(SCAN_VERDICTS);
const FIELDS = new Set<string>(SCAN_EVENT_FIELDS);

export type { ScanAck };
export type IngestResult = ScanUploadResponse;

export interface GuardDevice {
	id: string;
	venue_id: string;
}

function parseItem(x: unknown, device: GuardDevice, hash: HashFn): ScanEvent | string {
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
	let registration: ScanEvent['registration'];
	if (o.registration !== undefined) {
		const r = o.registration as Record<string, unknown> | null;
		const checked =
			typeof r === 'object' && r !== null && !Array.isArray(r) ? checkRegistration({ name: r.name, phone: r.phone, at: r.at }) : null;
		if (!checked?.ok) return 'bad-registration';
		registration = checked.registration;
	}
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
	if (hash(e) !== e.hash) return 'bad-hash';
	if (registration) e.registration = registration;
	return e;
}

function eventIdOf(item: unknown): string | null {
	const id = (item as { eventId?: unknown } | null)?.eventId;
	return typeof id === 'string' ? id.slice(0, 64) : null;
}

interface Stored {
	event_id: string;
	seq: number;
	hash: string;
}

/**
 * `hash` checks each event's hash (default: nodeScanEventHash, byte-identical to the core's scanEventHash).
 * `phoneKey` seals registration phones (deps.phoneKey); without it an item carrying a registration is rejected
 * rather than stored with a phone in clear.
 */
export async function ingestScans(
	db: Db,
	device: GuardDevice,
	items: unknown,
	nowMs: number,
	hash: HashFn = nodeScanEventHash,
	phoneKey?: Uint8Array
): Promise<IngestResult> {
	if (!Array.isArray(items)) return { acks: [{ eventId: null, status: 'rejected', reason: 'not-a-list' }], gaps: [] };
	const acks: ScanAck[] = [];
	const parsed: ScanEvent[] = [];
	items.forEach((item, i) => {
		if (i >= MAX_BATCH) return acks.push({ eventId: eventIdOf(item), status: 'rejected', reason: 'batch-too-large' });
		let e = parseItem(item, device, hash);
		if (typeof e !== 'string' && e.registration && !phoneKey) e = 'bad-registration';
		if (typeof e === 'string') acks.push({ eventId: eventIdOf(item), status: 'rejected', reason: e });
		else parsed.push(e);
	});
	parsed.sort((a, b) => a.seq - b.seq);
	return inTransaction(db, async (tx) => {
		const lastSeq = await scanWatermark(tx, device.id);
		const byId = new Map<string, Stored>();
		const bySeq = new Map<number, Stored>();
		// Stored rows above the watermark (for the gaps), ascending: when the batch starts right after the watermark
		// or above it — the normal in-order upload — one range read covers them and the batch's predecessors alike.
		let above: Stored[] | undefined;
		if (parsed.length) {
			const ids = [...new Set(parsed.map((e) => e.eventId))];
			// By event id only: with `device_id = ? AND event_id IN (…)` SQLite would pick the (device_id, seq) key
			// and walk the device's whole history. Other devices' rows are dropped here; the INSERT's ON CONFLICT
			// then answers 'duplicate'.
			const idRows = await scanEventsByIds(tx, ids);
			for (const r of idRows) if (r.device_id === device.id) byId.set(r.event_id, r);
			const lo = parsed[0]!.seq - 1;
			const hi = parsed[parsed.length - 1]!.seq;
			const seqRows = await deviceScanEvents(
				tx,
				device.id,
				// From the watermark up: the predecessor at the watermark itself, and every row above it.
				lo >= lastSeq
					? { from: lastSeq }
					: // a re-sent older range: the batch's seqs and predecessors (a range when dense, else the exact list)
						hi - lo <= 2 * MAX_BATCH
						? { lo, hi }
						: { seqs: [...new Set(parsed.flatMap((e) => [e.seq, e.seq - 1]))] }
			);
			for (const r of seqRows) bySeq.set(r.seq, r);
			if (lo >= lastSeq) above = seqRows.filter((r) => r.seq > lastSeq);
		}
		const accepted: ScanEvent[] = [];
		const ackOf = new Map<ScanEvent, ScanAck>();
		for (const e of parsed) {
			const sameId = byId.get(e.eventId);
			const sameSeq = bySeq.get(e.seq);
			if ((sameId && sameId.hash === e.hash) || (sameSeq && sameSeq.event_id === e.eventId && sameSeq.hash === e.hash)) {
				ackOf.set(e, { eventId: e.eventId, status: 'duplicate', seq: e.seq });
				continue;
			}
			if (sameId || sameSeq) {
				ackOf.set(e, { eventId: e.eventId, status: 'rejected', reason: 'seq-or-id-conflict' });
				continue;
			}
			const prev = e.seq === 1 ? { hash: SCAN_CHAIN_GENESIS } : bySeq.get(e.seq - 1);
			if (prev && prev.hash !== e.prevHash) {
				ackOf.set(e, { eventId: e.eventId, status: 'rejected', reason: 'chain-broken' });
				continue;
			}
			const row = { event_id: e.eventId, seq: e.seq, hash: e.hash };
			byId.set(e.eventId, row);
			bySeq.set(e.seq, row);
			accepted.push(e);
			ackOf.set(e, { eventId: e.eventId, status: 'accepted', seq: e.seq });
		}
		let lostRace = false;
		for (let i = 0; i < accepted.length; i += INSERT_CHUNK) {
			const chunk = accepted.slice(i, i + INSERT_CHUNK);
			const inserted = await insertScanEvents(tx, chunk, device, nowMs);
			if (inserted.length === chunk.length) continue;
			// Lost a race with another instance inserting the same event (or seq): the other insert won.
			lostRace = true;
			const won = new Set(inserted.map((r) => r.event_id));
			for (const e of chunk) if (!won.has(e.eventId)) ackOf.set(e, { eventId: e.eventId, status: 'duplicate', seq: e.seq });
		}
		for (const e of parsed) acks.push(ackOf.get(e)!);
		// Registrations ride on their scan, first upload or a re-send after the guard registered (then 'duplicate').
		const regs = parsed.flatMap((e) =>
			e.registration && phoneKey && ackOf.get(e)!.status !== 'rejected'
				? [
						{
							eventId: e.eventId,
							name: e.registration.name,
							phoneEnc: sealPhone(phoneKey, e.eventId, e.registration.phone),
							at: e.registration.at
						}
					]
				: []
		);
		if (regs.length) await attachScanRegistrations(tx, device.id, regs);
		// The rows above the watermark now: those read before plus this batch's, unless the batch re-sent an older
		// range or another instance wrote in between — then read them (the statement this saves otherwise).
		const rows = above && !lostRace ? mergeAbove(above, accepted, lastSeq) : await scanEventsAbove(tx, device.id, lastSeq);
		return { acks, gaps: await gapsAboveWatermark(tx, device.id, lastSeq, rows) };
	});
}

/** Two ascending lists of rows above the watermark (stored before, inserted now: disjoint seqs) merged. */
function mergeAbove(stored: Stored[], inserted: ScanEvent[], lastSeq: number): { seq: number; hash: string }[] {
	const out: { seq: number; hash: string }[] = [];
	let i = 0;
	let j = 0;
	while (i < stored.length || j < inserted.length) {
		const a = stored[i];
		const b = inserted[j];
		if (b === undefined || (a !== undefined && a.seq < b.seq)) {
			out.push(a!);
			i++;
		} else {
			if (b.seq > lastSeq) out.push(b);
			j++;
		}
	}
	return out;
}

/** Missing seq ranges above the device's contiguous watermark (given the rows above it, ascending); moves the watermark up. */
async function gapsAboveWatermark(
	db: Db,
	deviceId: string,
	lastSeq: number,
	rows: { seq: number; hash: string }[]
): Promise<[number, number][]> {
	let expected = lastSeq + 1;
	let i = 0;
	let lastHash: string | null = null;
	for (; i < rows.length && rows[i]!.seq === expected; i++, expected++) lastHash = rows[i]!.hash;
	if (expected - 1 > lastSeq) {
		await raiseScanWatermark(db, deviceId, expected - 1, lastHash);
	}
	const gaps: [number, number][] = [];
	for (; i < rows.length; i++) {
		const seq = rows[i]!.seq;
		if (seq > expected) gaps.push([expected, seq - 1]);
		expected = seq + 1;
	}
	return gaps;
}
