/**
 * Keeping the device's copy fresh: the codes (with ETag). Runs on open, when
 * the browser comes back `online`, and on a timer with jitter; failures back off exponentially with jitter.
 * Nothing here is awaited before the code is drawn: the page shows what IndexedDB holds and re-reads it when a
 * sync finishes (`onSynced`). One round is sync-round.ts.
 */
import { readSync } from './db';
import { nextDelayMs, syncAll, type SyncOutcome } from './sync-round';
import { recordSyncOutcome } from './sync-status.svelte';

export { nextDelayMs, registerDevice, syncAll, syncCodes, unreachable, type SyncOutcome } from './sync-round';

let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<SyncOutcome> | undefined;
const listeners = new Set<(outcome: SyncOutcome) => void>();

/** Called after every sync round (the page re-reads IndexedDB). Returns the unsubscribe function. */
export function onSynced(listener: (outcome: SyncOutcome) => void): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

/** Run one round now (coalesced with one already running), then re-arm the timer. */
export function syncSoon(): Promise<SyncOutcome> {
	running ??= syncAll().then(async (outcome) => {
		running = undefined;
		recordSyncOutcome(outcome, Date.now());
		for (const l of listeners) l(outcome);
		const { failures, retryAfterMs } = await readSync();
		clearTimeout(timer);
		timer = setTimeout(() => void syncSoon(), nextDelayMs(failures, Math.random(), retryAfterMs));
		return outcome;
	});
	return running;
}

let started = false;
/** Start background sync for this page (idempotent). */
export function startSync(): void {
	if (started || typeof window === 'undefined') return;
	started = true;
	window.addEventListener('online', () => void syncSoon());
	// Deferred so the first paint of the cached code never waits for the network or for this work.
	setTimeout(() => void syncSoon(), 0);
}
