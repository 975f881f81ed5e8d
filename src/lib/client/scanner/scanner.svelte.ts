/**
 * The guard scanner's state and flow (the /scan page renders it). One scan:
 *   text (camera / keyboard wedge / paste) → verifyCode offline with the cached lists (core, WebCrypto fast
 *   path) → venue entry policy → write the hash-chained log entry (IndexedDB) → only then the verdict on screen,
 *   with "not recorded" if the write failed.
 * Lists refresh and the log syncs on `online`, on a timer and on demand, without a restart.
 */
import { problemFromThrown, type ApiProblem } from '$lib/core/contract/error-problem';
import { fromBase64Url } from '$lib/core/bytes';
import type { Ed25519Backend } from '$lib/core/ed25519/ed25519';
import { fastestBackend } from '$lib/core/ed25519/select';
import { tweetnaclBackend } from '$lib/core/ed25519/tweetnacl';
import { STATUS_LIST_MAX_AGE_SECONDS_DEFAULT, TRUST_LIST_MAX_AGE_SECONDS_DEFAULT } from './settings';
import type { Verdict } from '$lib/core/verdict';
import { verifyCode } from '$lib/core/verify-code';
import { getMeta, setMeta } from './db';
import { parseEnrolment, type Enrolment } from '$lib/core/contract/enrolment';
import { decideEntry, type EntryDecision } from '$lib/core/contract/entry-policy';
import { signal, unlockAudio } from './feedback';
import { loadLists, refreshLists, rootKeyBytes, type ListsState, type Refusal } from './lists';
import { logStats, purgeUploaded, recordScan, registerScan, type LogStats } from './scan-log';
import { checkRegistration, type RegistrationProblem, type ScanRegistration } from '$lib/core/contract/scan-event';
import { backoffMs, syncLog } from './sync';
import { getConfig } from './scanner-api';

export interface Settings {
	/** Seconds; verdicts become unverifiable past these (VerifyPolicy). */
	statusListMaxAge: number;
	trustListMaxAge: number;
	/** Seconds a verdict stays on screen before scanning resumes. */
	dismissAfter: number;
	sound: boolean;
	/** Days an uploaded entry stays on the device. */
	retentionDays: number;
}

export const DEFAULT_SETTINGS: Settings = {
	statusListMaxAge: STATUS_LIST_MAX_AGE_SECONDS_DEFAULT,
	trustListMaxAge: TRUST_LIST_MAX_AGE_SECONDS_DEFAULT,
	dismissAfter: 4,
	sound: true,
	retentionDays: 7
};

export interface ShownVerdict {
	id: number;
	verdict: Verdict;
	decision: EntryDecision;
	recorded: boolean;
	source: 'camera' | 'wedge' | 'paste';
	at: number;
	/** The logged scan's event id (null when the write failed). */
	eventId: string | null;
	/** Policy yellow-with-registration: the registration taken for this scan, once saved. */
	registration?: ScanRegistration;
}

/** One region of a national bundle as the freshness panel shows it (RegionAges.svelte). */
export interface RegionAge {
	region: string;
	keysIssuedAt: number;
	keysMaxAge: number;
	statusIssuedAt: number | null;
	statusMaxAge: number | null;
	statusSeq: number | null;
}

const REFRESH_EVERY_MS = 5 * 60_000;
const SYNC_EVERY_MS = 30_000;

class Scanner {
	enrolment = $state<Enrolment | null>(null);
	ready = $state(false);
	enrolError = $state<string | null>(null);
	settings = $state<Settings>({ ...DEFAULT_SETTINGS });
	trustVersion = $state<number | null>(null);
	trustIssuedAt = $state<number | null>(null);
	statusIssuedAt = $state<number | null>(null);
	statusSeq = $state<number | null>(null);
	trustCheckedAt = $state<number | null>(null);
	/** Federated: per region, its key list's and status list's signing time (Unix s) and max age; empty otherwise. */
	regions = $state<RegionAge[]>([]);
	refusal = $state<Refusal | null>(null);
	refreshing = $state(false);
	/** Why the last list update failed, as a problem the panel words by code (errorMessage). */
	refreshError = $state<ApiProblem | null>(null);
	stats = $state<LogStats>({ pending: 0, oldestPendingAt: null, uploaded: 0, rejected: 0, lastSeq: 0 });
	syncing = $state(false);
	/** Why the last upload failed, as a problem the panel words by code (errorMessage). */
	syncError = $state<ApiProblem | null>(null);
	/** The server said this device was revoked (`tongxing guard revoke`): uploads stop until it is enrolled again. */
	revoked = $derived(this.syncError?.code === 'device/revoked');
	lastSyncAt = $state<number | null>(null);
	current = $state<ShownVerdict | null>(null);
	online = $state(true);
	backendName = $state('');

	#lists: ListsState | null = null;
	#root: Uint8Array | null = null;
	#backend: Ed25519Backend | null = null;
	#timers: ReturnType<typeof setInterval>[] = [];
	#retry: ReturnType<typeof setTimeout> | undefined;
	#failures = 0;
	#shownId = 0;
	#dismissTimer: ReturnType<typeof setTimeout> | undefined;
	#busy = false;

	async init(opts: { backend?: 'tweetnacl' | null } = {}): Promise<void> {
		this.#backend = opts.backend === 'tweetnacl' ? tweetnaclBackend : await fastestBackend();
		this.backendName = this.#backend.name;
		this.online = navigator.onLine;
		this.settings = { ...DEFAULT_SETTINGS, ...((await getMeta<Partial<Settings>>('settings')) ?? {}) };
		const enrolment = await getMeta<Enrolment>('enrolment');
		const root = await getMeta<string>('rootPublicKey');
		if (enrolment && root) await this.#start(enrolment, root);
		this.ready = true;
	}

	async enrol(text: string): Promise<boolean> {
		this.enrolError = null;
		unlockAudio();
		const parsed = parseEnrolment(text);
		if (!parsed.ok) {
			this.enrolError = parsed.problem === 'bad-field' ? `bad-field:${parsed.detail}` : parsed.problem;
			return false;
		}
		let root = parsed.enrolment.rootPublicKey;
		if (!root) {
			const cfg = await getConfig();
			root = cfg.ok ? (cfg.data.rootPublicKey ?? undefined) : undefined;
			if (!root) {
				this.enrolError = 'no-root-key';
				return false;
			}
		}
		if (fromBase64Url(root)?.length !== 32) {
			this.enrolError = 'no-root-key';
			return false;
		}
		await setMeta('enrolment', parsed.enrolment);
		await setMeta('rootPublicKey', root);
		await this.#start(parsed.enrolment, root);
		return true;
	}

	async #start(enrolment: Enrolment, root: string): Promise<void> {
		this.enrolment = enrolment;
		this.#root = rootKeyBytes(root);
		this.#lists = await loadLists(this.#root, this.#backend!);
		this.#publishLists();
		await this.refreshStats();
		const onOnline = () => {
			this.online = true;
			void this.refresh();
			void this.sync();
		};
		window.addEventListener('online', onOnline);
		window.addEventListener('offline', () => {
			this.online = false;
			// The offline indicator says it now; a "could not reach the server" from before must not outlive it.
			if (this.refreshError?.code === 'network/unavailable') this.refreshError = null;
			if (this.syncError?.code === 'network/unavailable') this.syncError = null;
		});
		this.#timers.push(setInterval(() => navigator.onLine && void this.refresh(), REFRESH_EVERY_MS));
		this.#timers.push(setInterval(() => navigator.onLine && !this.revoked && void this.sync(), SYNC_EVERY_MS));
		// Another tab may scan or sync: keep the counters true.
		this.#timers.push(setInterval(() => void this.refreshStats(), 5000));
		void this.refresh();
		void this.sync();
	}

	#publishLists(): void {
		const l = this.#lists;
		if (!l) return;
		this.trustVersion = l.trustList?.version ?? null;
		this.trustIssuedAt = l.trustList?.issuedAt ?? null;
		const own = l.statusLists.length ? l.statusLists.reduce((a, b) => (a.issuedAt <= b.issuedAt ? a : b)) : null;
		this.statusIssuedAt = own?.issuedAt ?? null;
		this.statusSeq = own?.seq ?? null;
		this.trustCheckedAt = l.trustCheckedAt;
		this.refusal = l.lastRefusal;
		this.regions = [...(l.trustList?.regions?.values() ?? [])].map((r) => {
			const s = l.statusLists.find((x) => x.region === r.region);
			return {
				region: r.region,
				keysIssuedAt: r.issuedAt,
				keysMaxAge: r.maxAge,
				statusIssuedAt: s?.issuedAt ?? null,
				statusMaxAge: s?.maxAge ?? null,
				statusSeq: s?.seq ?? null
			};
		});
	}

	async refresh(): Promise<void> {
		if (!this.#lists || !this.#root || this.refreshing) return;
		this.refreshing = true;
		try {
			await refreshLists(this.#lists, { rootPublicKey: this.#root, backend: this.#backend!, now: () => Date.now() });
			this.refreshError = null;
		} catch (e) {
			this.refreshError = problemFromThrown(e);
		} finally {
			this.refreshing = false;
			this.#publishLists();
		}
	}

	async refreshStats(): Promise<void> {
		try {
			this.stats = await logStats();
		} catch {
			// storage unavailable: the scan path reports "not recorded"
		}
	}

	async sync(): Promise<void> {
		const e = this.enrolment;
		if (!e || this.syncing) return;
		this.syncing = true;
		try {
			const out = await syncLog(e.token, { now: () => Date.now() });
			if (out.status === 'failed') {
				this.syncError = out.problem;
				this.#failures++;
				clearTimeout(this.#retry);
				// a revoked device stays refused: no automatic retries (the scans stay in the log; the button still tries)
				if (!this.revoked)
					this.#retry = setTimeout(() => void this.sync(), backoffMs(this.#failures, Math.random, out.problem.retryAfterSeconds));
			} else if (out.status === 'done') {
				this.syncError = null;
				this.#failures = 0;
				this.lastSyncAt = Date.now();
				await purgeUploaded(Date.now(), this.settings.retentionDays * 86_400_000);
			}
		} finally {
			this.syncing = false;
			await this.refreshStats();
		}
	}

	async saveSettings(next: Settings): Promise<void> {
		this.settings = next;
		await setMeta('settings', $state.snapshot(next));
	}

	/** One scan, from any input. Returns once the verdict is on screen (state) — or ignored while one shows. */
	async scan(text: string, source: ShownVerdict['source']): Promise<ShownVerdict | null> {
		const e = this.enrolment;
		if (!e || !this.#lists || this.#busy || this.current) return null;
		this.#busy = true;
		try {
			const now = Date.now();
			performance.mark('tx-verify-start');
			// Keyboard wedges end a scan with Enter (sometimes Tab); base45 itself contains spaces, so only those are stripped.
			const verdict = await verifyCode(text.replace(/^[\r\n\t]+|[\r\n\t]+$/g, ''), {
				trustList: this.#lists.trustList,
				statusLists: this.#lists.statusLists,
				now,
				...(this.#lists.timeFloor === null ? {} : { timeFloor: this.#lists.timeFloor }),
				backend: this.#backend!,
				policy: { statusListMaxAge: this.settings.statusListMaxAge, trustListMaxAge: this.settings.trustListMaxAge }
			});
			performance.measure('tx-verify', 'tx-verify-start');
			const decision = decideEntry(e.venue.policy, verdict, now);
			let recorded = true;
			let eventId: string | null = null;
			try {
				({ eventId } = await recordScan({
					deviceId: e.deviceId,
					venueId: e.venue.id,
					scannedAt: now,
					codeId: verdict.claims?.codeId ?? null,
					verdict: verdict.verdict,
					reason: verdict.reason
				}));
			} catch {
				recorded = false;
			}
			const shown: ShownVerdict = { id: ++this.#shownId, verdict, decision, recorded, source, at: now, eventId };
			this.current = shown;
			signal(decision.outcome, { sound: this.settings.sound });
			clearTimeout(this.#dismissTimer);
			// A yellow code to register stays up until the guard registers or dismisses it (no timer racing the form).
			if (decision.note !== 'register-yellow') this.#dismissTimer = setTimeout(() => this.dismiss(), this.settings.dismissAfter * 1000);
			void this.refreshStats();
			if (navigator.onLine) void this.sync();
			return shown;
		} finally {
			this.#busy = false;
		}
	}

	/**
	 * Registers the person behind the verdict on screen (policy yellow-with-registration): checked, stored on the
	 * scan's log entry, uploaded with it. Returns the problems to show in the form, or [] once saved.
	 */
	async register(input: { name: string; phone: string }): Promise<RegistrationProblem[] | 'not-recorded'> {
		const shown = this.current;
		if (!shown?.eventId) return 'not-recorded';
		const checked = checkRegistration({ ...input, at: Date.now() });
		if (!checked.ok) return checked.problems;
		try {
			await registerScan(shown.eventId, checked.registration);
		} catch {
			return 'not-recorded';
		}
		if (this.current?.id === shown.id) {
			this.current = { ...shown, registration: checked.registration };
			clearTimeout(this.#dismissTimer);
			this.#dismissTimer = setTimeout(() => this.dismiss(), this.settings.dismissAfter * 1000);
		}
		void this.refreshStats();
		if (navigator.onLine) void this.sync();
		return [];
	}

	dismiss(): void {
		clearTimeout(this.#dismissTimer);
		this.current = null;
	}
}

export const scanner = new Scanner();
