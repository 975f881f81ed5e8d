/**
 * Traffic for scenarios 4 and 5 (docs/drills.md): scanners that keep a hash-chained scan log of their own and upload
 * it in order (POST /api/v1/scans), and one signed-in resident refreshing codes (GET /api/v1/me/codes) and declaring
 * (POST /api/v1/declarations), over HTTP against the real server. Built on the bench's helpers (bench/server.ts,
 * bench/http-load.ts) because the drill's simulated PWA clients (scripts/drill/sim/) were written in parallel; a
 * later change can drive these scenarios with them instead.
 *
 * What it records is what the scenarios assert: every answer's status and problem code, any 5xx that is not 503,
 * any 503 without Retry-After, and per scanner which events the current server has acknowledged. A 503 is waited
 * out as Retry-After says, capped at RETRY_CAP_MS so a one-minute drill is not spent waiting (a real scanner keeps its
 * log and waits the whole time: nothing is lost either way).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { chainScanEvent, type ScanEvent } from '../../../src/lib/core/scan-log.js';
import { addVenue, enrolGuard } from '../../../src/lib/server/scans/guards.js';
import { hmacKey } from '../../../src/lib/server/secrets.js';
import { openDatabase } from '../../../src/lib/server/store/open.js';
import { request, type HttpReply } from '../../../bench/http-load.js';

const RETRY_CAP_MS = 1_000;
const BATCH = 500;

export interface SimScanner {
	deviceId: string;
	token: string;
	venueId: string;
	/** the scanner's own log, in seq order (what the server must end up holding exactly once) */
	log: ScanEvent[];
	/** how many of `log` (a prefix) the current server has acknowledged (accepted or duplicate) */
	acked: number;
	/** gaps the server reported (each makes the scanner send that range again) */
	regaps: number;
}

export interface TrafficStats {
	requests: number;
	/** "200", "503 storage/full", "network", … */
	answers: Record<string, number>;
	/** 5xx answers other than 503, with their problem code: must stay 0 */
	serverErrors: number;
	/** 503 answers without a Retry-After header: must stay 0 */
	missingRetryAfter: number;
	/** the resident's code refreshes (GET /api/v1/me/codes): answered 200/304, or anything else */
	reads: { ok: number; failed: number };
}

export function newStats(): TrafficStats {
	return { requests: 0, answers: {}, serverErrors: 0, missingRetryAfter: 0, reads: { ok: 0, failed: 0 } };
}

/** Where the traffic goes: the scenario points it at another server (the restored one) by changing `port`. */
export interface Target {
	port: number;
}

function problemCode(r: HttpReply): string {
	try {
		const code = (JSON.parse(r.body.toString('utf8')) as { code?: unknown }).code;
		return typeof code === 'string' ? code : '';
	} catch {
		return '';
	}
}

function record(stats: TrafficStats, r: HttpReply | Error): number {
	stats.requests++;
	if (r instanceof Error) {
		stats.answers.network = (stats.answers.network ?? 0) + 1;
		return RETRY_CAP_MS;
	}
	const key = r.status >= 400 ? `${r.status} ${problemCode(r)}`.trim() : String(r.status);
	stats.answers[key] = (stats.answers[key] ?? 0) + 1;
	if (r.status >= 500 && r.status !== 503) stats.serverErrors++;
	if (r.status === 503 || r.status === 429) {
		const after = Number(r.headers['retry-after']);
		if (!Number.isFinite(after) || after <= 0) {
			stats.missingRetryAfter++;
			return RETRY_CAP_MS;
		}
		return Math.min(after * 1000, RETRY_CAP_MS);
	}
	return 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Enrols `n` scanners at one venue directly in the data directory, before the server starts (as `guard enrol` would). */
export async function enrolScanners(dataDir: string, n: number): Promise<SimScanner[]> {
	const o = await openDatabase({ dataDir });
	try {
		const now = Date.now();
		const venueId = await addVenue(o.db, { name: '演练场所', region: '440305', policy: 'green-only', nowMs: now });
		const key = hmacKey(dataDir);
		const out: SimScanner[] = [];
		for (let i = 0; i < n; i++) {
			const { deviceId, token } = await enrolGuard(o.db, key, venueId, now);
			out.push({ deviceId, token, venueId, log: [], acked: 0, regaps: 0 });
		}
		return out;
	} finally {
		await o.close();
	}
}

function scan(s: SimScanner): void {
	const prev = s.log[s.log.length - 1] ?? null;
	const i = s.log.length + 1;
	s.log.push(
		chainScanEvent(prev, {
			eventId: `drill-${s.deviceId}-${i}-${randomBytes(3).toString('hex')}`,
			deviceId: s.deviceId,
			venueId: s.venueId,
			scannedAt: Date.now(),
			codeId: i % 9 === 0 ? null : `drill${String(i % 100_000).padStart(11, '0')}`,
			verdict: i % 40 === 0 ? 'invalid' : 'valid',
			reason: i % 40 === 0 ? 'expired' : 'ok'
		})
	);
}

/** Uploads the scanner's next unacknowledged batch; returns how long to wait before the next request. */
async function upload(target: Target, s: SimScanner, stats: TrafficStats): Promise<number> {
	const batch = s.log.slice(s.acked, s.acked + BATCH);
	if (batch.length === 0) return 0;
	const r = await request(target.port, {
		method: 'POST',
		path: '/api/v1/scans',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
		body: JSON.stringify({ events: batch })
	}).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
	const wait = record(stats, r);
	if (!(r instanceof Error) && r.status === 200) {
		const { acks, gaps } = JSON.parse(r.body.toString('utf8')) as { acks: { eventId: string; status: string }[]; gaps: [number, number][] };
		const stored = new Set(acks.filter((a) => a.status === 'accepted' || a.status === 'duplicate').map((a) => a.eventId));
		while (s.acked < s.log.length && stored.has(s.log[s.acked]!.eventId)) s.acked++;
		// as the scanner PWA does (client/scanner/sync.ts): seqs the server reports missing are sent again, e.g. scans
		// it had acknowledged and then lost (a restore from an older backup, a disk that lost its last writes)
		for (const [lo] of gaps ?? []) {
			if (lo >= 1) s.acked = Math.min(s.acked, lo - 1);
			s.regaps++;
		}
	}
	return wait;
}

export interface Resident {
	cookie: string;
}

const DECLARATION = {
	name: '张伟',
	idNumber: '440305199003071236',
	phone: '13800138000',
	region: '440305',
	addressDetail: '科技园 1 栋',
	temperature: 36.6,
	symptoms: ['none'],
	travel: []
};

/**
 * Runs until `stop()`: each scanner scans every `scanEveryMs` and uploads what the server has not acknowledged; the
 * resident refreshes codes every 500 ms and declares every 3 s.
 */
export function startTraffic(
	target: Target,
	scanners: SimScanner[],
	resident: Resident | undefined,
	stats: TrafficStats,
	scanEveryMs = 1000
) {
	let running = true;
	const loops: Promise<void>[] = scanners.map(async (s, i) => {
		await sleep((i * scanEveryMs) / scanners.length); // spread the scanners over the interval
		while (running) {
			const t0 = performance.now();
			scan(s);
			const wait = await upload(target, s, stats);
			await sleep(Math.max(wait, scanEveryMs - (performance.now() - t0)));
		}
	});
	if (resident) {
		loops.push(
			(async () => {
				let n = 0;
				while (running) {
					const codes = await request(target.port, { path: '/api/v1/me/codes', headers: { cookie: resident.cookie } }).catch(
						(e: Error) => e
					);
					let wait = record(stats, codes);
					if (!(codes instanceof Error) && (codes.status === 200 || codes.status === 304)) stats.reads.ok++;
					else stats.reads.failed++;
					if (n++ % 6 === 0) {
						const r = await request(target.port, {
							method: 'POST',
							path: '/api/v1/declarations',
							headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${target.port}`, cookie: resident.cookie },
							body: JSON.stringify(DECLARATION)
						}).catch((e: Error) => e);
						wait = Math.max(wait, record(stats, r));
					}
					await sleep(Math.max(wait, 500));
				}
			})()
		);
	}
	return {
		stop: async () => {
			running = false;
			await Promise.all(loops);
		}
	};
}

/** Uploads every scanner's remaining log (no new scans) until all are acknowledged or the deadline passes. */
export async function drain(target: Target, scanners: SimScanner[], stats: TrafficStats, deadlineMs: number): Promise<boolean> {
	const end = performance.now() + deadlineMs;
	await Promise.all(
		scanners.map(async (s) => {
			while (s.acked < s.log.length && performance.now() < end) {
				const wait = await upload(target, s, stats);
				if (wait) await sleep(wait);
			}
		})
	);
	return scanners.every((s) => s.acked === s.log.length);
}

/**
 * Each scanner's log against what a server's database holds: events missing, events the scanner never made
 * (duplicated or foreign), and events whose stored hash differs. `stored` maps device id → event id → hash.
 */
export function compareLogs(
	scanners: SimScanner[],
	stored: Map<string, Map<string, string>>
): { lost: number; extra: number; altered: number } {
	let lost = 0;
	let extra = 0;
	let altered = 0;
	for (const s of scanners) {
		const have = stored.get(s.deviceId) ?? new Map<string, string>();
		const mine = new Set<string>();
		for (const e of s.log) {
			mine.add(e.eventId);
			const h = have.get(e.eventId);
			if (h === undefined) lost++;
			else if (h !== e.hash) altered++;
		}
		for (const id of have.keys()) if (!mine.has(id)) extra++;
	}
	return { lost, extra, altered };
}

/** Scans the scanners hold as acknowledged that the server's database does not have (lost after the acknowledgement). */
export function lostAfterAck(scanners: SimScanner[], stored: Map<string, Map<string, string>>): number {
	let n = 0;
	for (const s of scanners) {
		const have = stored.get(s.deviceId);
		for (let i = 0; i < s.acked; i++) if (!have?.has(s.log[i]!.eventId)) n++;
	}
	return n;
}

/** device id → event id → hash, as the database of `dataDir` holds them (read while the server runs: WAL readers do not block). */
export async function storedLogs(dataDir: string): Promise<Map<string, Map<string, string>>> {
	const o = await openDatabase({ dataDir });
	try {
		const out = new Map<string, Map<string, string>>();
		for (const r of await o.db.selectFrom('scan_events').select(['device_id', 'event_id', 'hash']).execute()) {
			let m = out.get(r.device_id);
			if (!m) out.set(r.device_id, (m = new Map<string, string>()));
			m.set(r.event_id, r.hash);
		}
		return out;
	} finally {
		await o.close();
	}
}
