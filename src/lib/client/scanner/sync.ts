/**
 * Uploads the scan log: POST /api/v1/scans in batches of pending events, oldest seq first. The server is
 * idempotent by event id and answers one ack per item: accepted and duplicate both mean "stored", so the
 * entry is marked uploaded; rejected entries are kept with the reason (exported, never retried). Gaps the
 * server reports (seqs it never received) are re-queued if still on the device.
 *
 * Only one tab syncs at a time (Web Lock 'tx-scan-sync'); a second caller gets 'busy' at once. Even without
 * the lock nothing could double: the server dedups by event id, and a batch whose response is lost (server
 * killed after commit, network cut) is re-sent and acked 'duplicate'.
 */
import { badResponse, type ApiProblem } from '$lib/core/contract/error-problem';
import { scanEventOf } from '$lib/core/contract/scan-event';
import { scannerDb, type OutboxEntry } from './db';
import { uploadScans } from './scanner-api';

export const SYNC_LOCK = 'tx-scan-sync';
export const BATCH_SIZE = 100;

export type SyncOutcome =
	{ status: 'done'; uploaded: number; rejected: number } | { status: 'busy' } | { status: 'failed'; problem: ApiProblem; uploaded: number };

async function syncUnlocked(token: string, now: () => number): Promise<SyncOutcome> {
	const db = scannerDb();
	let uploaded = 0;
	let rejected = 0;
	// One read of the pending entries serves batch after batch; it is read again when it runs out (scans logged
	// meanwhile) or when gaps re-queued older entries, so the order stays oldest seq first. Reading every pending
	// entry for each batch made a long-offline device's upload quadratic (20,000 scans: 200 reads of up to 20,000
	// rows; docs/drills.md, scenario 2). Nothing else turns a pending entry into another state while the lock is held.
	let queue: OutboxEntry[] = [];
	// Bounded: a server that keeps reporting gaps cannot keep us here forever.
	for (let round = 0; round < 1000; round++) {
		if (!queue.length) queue = await db.outbox.where('state').equals('pending').sortBy('seq');
		const ids = queue.splice(0, BATCH_SIZE).map((e) => e.eventId);
		if (!ids.length) break;
		// each entry as it is now (a registration may have been attached since the read), still pending
		const batch = (await db.outbox.bulkGet(ids)).filter((e): e is OutboxEntry => e?.state === 'pending');
		if (!batch.length) continue;
		const res = await uploadScans(token, batch.map(scanEventOf));
		// offline, a refusal or a malformed answer: a problem with a code the page words (never "Failed to fetch")
		if (!res.ok) return { status: 'failed', problem: res.problem, uploaded };
		const body = res.data;
		const at = now();
		const progress = await db.transaction('rw', db.outbox, async () => {
			let n = 0;
			for (const ack of body.acks) {
				if (!ack.eventId) continue;
				const row = await db.outbox.get(ack.eventId);
				if (!row || row.state !== 'pending') continue;
				if (ack.status === 'rejected') {
					await db.outbox.update(ack.eventId, { state: 'rejected', rejectReason: ack.reason || 'rejected' });
					rejected++;
				} else {
					await db.outbox.update(ack.eventId, { state: 'uploaded', uploadedAt: at });
					uploaded++;
				}
				n++;
			}
			let requeued = 0;
			for (const [lo, hi] of body.gaps) {
				requeued += await db.outbox
					.where('seq')
					.between(lo, hi, true, true)
					.and((r) => r.state === 'uploaded')
					.modify({ state: 'pending' });
			}
			if (requeued) queue = [];
			return n;
		});
		// no item of the batch was acknowledged: an answer this client cannot use
		if (progress === 0) return { status: 'failed', problem: badResponse(res.status), uploaded };
	}
	return { status: 'done', uploaded, rejected };
}

export async function syncLog(token: string, opts: { now: () => number }): Promise<SyncOutcome> {
	if (!('locks' in navigator)) return syncUnlocked(token, opts.now);
	const outcome = await navigator.locks.request(SYNC_LOCK, { ifAvailable: true }, async (lock) =>
		lock ? syncUnlocked(token, opts.now) : null
	);
	return outcome ?? { status: 'busy' };
}

/**
 * Exponential backoff with "equal jitter" (AWS architecture blog, "Exponential Backoff and Jitter"): half the cap
 * plus a random half; cap 2 s doubling to 5 min. A server's Retry-After (seconds) is a floor, spread over up to
 * 1.5× so that the scanners a shedding server turned away do not all return in the same second.
 */
export function backoffMs(failures: number, random: () => number = Math.random, retryAfterSeconds?: number): number {
	const cap = Math.min(5 * 60_000, 2000 * 2 ** Math.max(0, failures - 1));
	const r = random();
	const backoff = Math.round(cap / 2 + (r * cap) / 2);
	return retryAfterSeconds ? Math.max(backoff, Math.round(retryAfterSeconds * 1000 * (1 + r / 2))) : backoff;
}
