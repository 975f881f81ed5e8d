/**
 * A simulated guard scanner: the scanner PWA's own client code (src/lib/client/scanner) in Node, with its own
 * IndexedDB (fake-indexeddb) and network (device-context.ts). One scan is what scanner.svelte.ts does: verifyCode
 * offline (core) with the trust and status lists the device holds (lists.ts; loadLists / refreshLists), then the
 * hash-chained log entry (scan-log.ts recordScan). Uploads are the app's syncLog (sync.ts) with its backoff; lists
 * refresh with the app's refreshLists. The Svelte class itself (runes, camera, sound) is the page's and is not run.
 *
 * The scanner's clock is the drill's (`clock`), so an accelerated scenario moves it hours in seconds.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Ed25519Backend } from '../../../src/lib/core/ed25519/ed25519.js';
import { fastestBackend } from '../../../src/lib/core/ed25519/select.js';
import type { Enrolment } from '../../../src/lib/core/contract/enrolment.js';
import type { Verdict } from '../../../src/lib/core/verdict.js';
import { verifyCode } from '../../../src/lib/core/verify-code.js';
import { ScannerDb, setMeta } from '../../../src/lib/client/scanner/db.js';
import { loadLists, refreshLists, rootKeyBytes, type ListsState } from '../../../src/lib/client/scanner/lists.js';
import { recordScan, logStats, type LogStats } from '../../../src/lib/client/scanner/scan-log.js';
import { STATUS_LIST_MAX_AGE_SECONDS_DEFAULT, TRUST_LIST_MAX_AGE_SECONDS_DEFAULT } from '../../../src/lib/client/scanner/settings.js';
import { backoffMs, syncLog, type SyncOutcome } from '../../../src/lib/client/scanner/sync.js';
import { inDevice, newNet, type DeviceContext, type NetStats } from './device-context.js';

export class SimScanner {
	readonly device: DeviceContext;
	#lists: ListsState | null = null;
	#root: Uint8Array;
	#backend: Ed25519Backend | null = null;
	/** consecutive failed uploads (drives the app's backoff) */
	failures = 0;
	uploads = 0;
	failedUploads = 0;
	/** the last failed upload's problem (its Retry-After floors the backoff) */
	lastProblem: { code: string; retryAfterSeconds?: number } | null = null;

	constructor(
		readonly enrolment: Enrolment,
		rootPublicKey: string,
		n: number,
		origin: () => string,
		stats: NetStats,
		readonly clock: () => number
	) {
		this.#root = rootKeyBytes(rootPublicKey);
		this.device = {
			name: `scanner-${n}`,
			// scanners sit behind a venue's own addresses: a separate range from the phones'
			net: newNet(origin, 0x800000 + n, stats),
			scannerDb: new ScannerDb('tongxing-scanner', { indexedDB: new IDBFactory(), IDBKeyRange })
		};
	}

	#run<T>(fn: () => Promise<T>): Promise<T> {
		return inDevice(this.device, fn);
	}

	/** Stores the enrolment (as the /scan page does at enrolment) and fetches the lists once. */
	init(): Promise<void> {
		return this.#run(async () => {
			this.#backend = await fastestBackend();
			await setMeta('enrolment', this.enrolment);
			this.#lists = await loadLists(this.#root, this.#backend, this.clock());
			await this.#refresh();
		});
	}

	async #refresh(): Promise<void> {
		await refreshLists(this.#lists!, { rootPublicKey: this.#root, backend: this.#backend!, now: this.clock });
	}

	/** One list refresh (throws when the server cannot be reached, like the app's; the lists held stay). */
	refresh(): Promise<void> {
		return this.#run(() => this.#refresh());
	}

	/** The sum of the status lists' seqs held (grows with every revocation taken). */
	statusSeqs(): number {
		return (this.#lists?.statusLists ?? []).reduce((a, s) => a + s.seq, 0);
	}

	/** One scan: verify offline with the lists held, log it (hash-chained), return the verdict. No server call. */
	scan(text: string, at = this.clock()): Promise<Verdict> {
		return this.#run(async () => {
			const lists = this.#lists!;
			const verdict = await verifyCode(text, {
				trustList: lists.trustList,
				statusLists: lists.statusLists,
				now: at,
				...(lists.timeFloor === null ? {} : { timeFloor: lists.timeFloor }),
				backend: this.#backend!,
				policy: { statusListMaxAge: STATUS_LIST_MAX_AGE_SECONDS_DEFAULT, trustListMaxAge: TRUST_LIST_MAX_AGE_SECONDS_DEFAULT }
			});
			await recordScan({
				deviceId: this.enrolment.deviceId,
				venueId: this.enrolment.venue.id,
				scannedAt: at,
				codeId: verdict.claims?.codeId ?? null,
				verdict: verdict.verdict,
				reason: verdict.reason
			});
			return verdict;
		});
	}

	/** One upload round of the app (syncLog); counts failures for the backoff. */
	upload(): Promise<SyncOutcome> {
		return this.#run(async () => {
			this.uploads++;
			const out = await syncLog(this.enrolment.token, { now: this.clock });
			if (out.status === 'failed') {
				this.failures++;
				this.failedUploads++;
				this.lastProblem = out.problem;
			} else this.failures = 0;
			return out;
		});
	}
	/** The app's delay before retrying a failed upload (backoff with jitter, Retry-After as a floor). */
	retryDelay(): number {
		return backoffMs(this.failures, Math.random, this.lastProblem?.retryAfterSeconds);
	}

	/** Uploads until everything is acknowledged or `deadline` (drill clock ms, wall) passes, with the app's backoff. */
	async uploadAll(deadlineWallMs: number, sleep: (ms: number) => Promise<void>): Promise<SyncOutcome> {
		for (;;) {
			const out = await this.upload();
			if (out.status === 'done') return out;
			if (Date.now() >= deadlineWallMs) return out;
			await sleep(Math.min(this.retryDelay(), Math.max(0, deadlineWallMs - Date.now())));
		}
	}

	stats(): Promise<LogStats> {
		return this.#run(() => logStats());
	}

	/** Every entry still on the device, by seq: what the server must hold exactly once. */
	log(): Promise<{ eventId: string; seq: number; state: string }[]> {
		return this.#run(async () =>
			(await this.device.scannerDb!.outbox.orderBy('seq').toArray()).map((r) => ({ eventId: r.eventId, seq: r.seq, state: r.state }))
		);
	}
}
