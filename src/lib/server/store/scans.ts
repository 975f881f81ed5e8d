/**
 * Scan events (table scan_events) and the per-device upload watermark (guard_devices.last_seq / last_hash): the
 * statements of the scanner ingest (scans/ingest.ts, which explains the protocol and why each statement is
 * shaped as it is). The batch INSERT is compiled once per row count and later only re-filled with parameters:
 * building a 500-row VALUES node per batch cost ~10 % of the ingest's CPU (bench/server.ts).
 */
import { CompiledQuery } from 'kysely';
import type { Db } from './db.js';
import { addOverviewDeltas, hourOf, type OverviewDelta } from './overview.js';

/** A scan event as the ingest has validated it (core's ScanEvent fits). */
export interface NewScanEvent {
	eventId: string;
	seq: number;
	prevHash: string;
	hash: string;
	codeId: string | null;
	verdict: string;
	reason: string;
	scannedAt: number;
}

/** The device's watermark: every seq up to it is stored. Throws when the device does not exist. */
export async function scanWatermark(db: Db, deviceId: string): Promise<number> {
	return (await db.selectFrom('guard_devices').select(['last_seq']).where('id', '=', deviceId).executeTakeFirstOrThrow()).last_seq;
}

/**
 * Stored events with these event ids, of any device. By event id only: with `device_id = ? AND event_id IN (…)`
 * SQLite would pick the (device_id, seq) key and walk the device's whole history.
 */
export function scanEventsByIds(db: Db, eventIds: string[]): Promise<{ event_id: string; device_id: string; seq: number; hash: string }[]> {
	return db.selectFrom('scan_events').select(['event_id', 'device_id', 'seq', 'hash']).where('event_id', 'in', eventIds).execute();
}

/**
 * One device's stored events by seq: `{ from }` every seq ≥ from, ascending; `{ lo, hi }` the inclusive range
 * (unordered); `{ seqs }` exactly those seqs (unordered).
 */
export function deviceScanEvents(
	db: Db,
	deviceId: string,
	which: { from: number } | { lo: number; hi: number } | { seqs: number[] }
): Promise<{ event_id: string; seq: number; hash: string }[]> {
	const q = db.selectFrom('scan_events').select(['event_id', 'seq', 'hash']).where('device_id', '=', deviceId);
	if ('from' in which) return q.where('seq', '>=', which.from).orderBy('seq').execute();
	if ('lo' in which) return q.where('seq', '>=', which.lo).where('seq', '<=', which.hi).execute();
	return q.where('seq', 'in', which.seqs).execute();
}

/** One device's stored events above `lastSeq`, ascending by seq. */
export function scanEventsAbove(db: Db, deviceId: string, lastSeq: number): Promise<{ seq: number; hash: string }[]> {
	return db
		.selectFrom('scan_events')
		.select(['seq', 'hash'])
		.where('device_id', '=', deviceId)
		.where('seq', '>', lastSeq)
		.orderBy('seq')
		.execute();
}

/** Moves the device's watermark up to `lastSeq` (never down: another instance may have moved it further). */
export async function raiseScanWatermark(db: Db, deviceId: string, lastSeq: number, lastHash: string | null): Promise<void> {
	await db
		.updateTable('guard_devices')
		.set({ last_seq: lastSeq, last_hash: lastHash })
		.where('id', '=', deviceId)
		.where('last_seq', '<', lastSeq)
		.execute();
}

const INSERT_COLUMNS = 11;
/** The INSERT's SQL text per dialect adapter and row count (values are all parameters, so the text is fixed). */
const insertText = new WeakMap<object, Map<number, string>>();

/**
 * INSERT … ON CONFLICT DO NOTHING RETURNING event_id for one device's events (at most what both engines'
 * parameter limits allow: the ingest sends ≤ 500). Returns the event ids inserted; an event not returned lost a
 * race with another instance inserting the same event (or seq). Kysely builds and compiles the text once per
 * row count; the first compile checks that the parameter layout is the one filled here.
 */
export async function insertScanEvents(
	db: Db,
	events: readonly NewScanEvent[],
	device: { id: string; venue_id: string },
	receivedAt: number
): Promise<{ event_id: string }[]> {
	const params: unknown[] = new Array(events.length * INSERT_COLUMNS);
	let k = 0;
	for (const e of events) {
		params[k++] = e.eventId;
		params[k++] = device.id;
		params[k++] = e.seq;
		params[k++] = e.prevHash;
		params[k++] = e.hash;
		params[k++] = e.codeId;
		params[k++] = e.verdict;
		params[k++] = e.reason;
		params[k++] = e.scannedAt;
		params[k++] = receivedAt;
		params[k++] = device.venue_id;
	}
	const adapter = db.getExecutor().adapter;
	let byCount = insertText.get(adapter);
	if (!byCount) insertText.set(adapter, (byCount = new Map<number, string>()));
	let text = byCount.get(events.length);
	if (text === undefined) {
		const compiled = db
			.insertInto('scan_events')
			.values(
				events.map((e) => ({
					event_id: e.eventId,
					device_id: device.id,
					seq: e.seq,
					prev_hash: e.prevHash,
					hash: e.hash,
					code_id: e.codeId,
					verdict: e.verdict,
					reason: e.reason,
					scanned_at: e.scannedAt,
					received_at: receivedAt,
					venue_id: device.venue_id
				}))
			)
			.onConflict((oc) => oc.doNothing())
			.returning('event_id')
			.compile();
		if (compiled.parameters.length !== params.length || compiled.parameters.some((p, i) => p !== params[i]))
			throw new Error('scan_events insert: unexpected parameter layout');
		text = compiled.sql;
		byCount.set(events.length, text);
	}
	const query: CompiledQuery<{ event_id: string }> = CompiledQuery.raw(text, params);
	const { rows } = await db.executeQuery(query);
	await addOverviewDeltas(db, scanDeltas(events, rows, device.venue_id));
	return rows;
}

/** The overview's counts of the events actually inserted (a re-sent event counts once): per venue and per verdict, by hour scanned. */
function scanDeltas(events: readonly NewScanEvent[], inserted: readonly { event_id: string }[], venueId: string): OverviewDelta[] {
	if (!inserted.length) return [];
	const ids = new Set(inserted.map((r) => r.event_id));
	const out: OverviewDelta[] = [];
	for (const e of events) {
		if (!ids.has(e.eventId)) continue;
		const bucket = hourOf(e.scannedAt);
		out.push({ metric: 'scan', bucket, key: venueId, n: 1 }, { metric: 'verdict', bucket, key: e.verdict, n: 1 });
	}
	return out;
}

/**
 * Attaches registrations (yellow admitted after registration) to stored scans of this device, each once: a row
 * that already has one keeps it (the device re-sends the same event; nobody replaces a registration later).
 */
export async function attachScanRegistrations(
	db: Db,
	deviceId: string,
	regs: readonly { eventId: string; name: string; phoneEnc: string; at: number }[]
): Promise<void> {
	for (const r of regs) {
		await db
			.updateTable('scan_events')
			.set({ registration_name: r.name, registration_phone_enc: r.phoneEnc, registration_at: r.at })
			.where('event_id', '=', r.eventId)
			.where('device_id', '=', deviceId)
			.where('registration_name', 'is', null)
			.execute();
	}
}
