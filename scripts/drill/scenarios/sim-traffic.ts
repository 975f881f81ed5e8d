/**
 * Traffic for scenarios 4 and 5 (docs/drills.md §4, §5) on the drill's simulated devices (sim/): the PWAs' own client
 * code. Scanners scan phones' codes (verified offline, logged hash-chained in their Dexie outbox) and upload with the
 * scanner app's syncLog; a few phones refresh their codes with the resident app's sync round and declare with its
 * form submission. What the scenarios assert is recorded here:
 *   - every answer the devices got, by status and problem code, any 5xx other than 503, and any 503/429 without
 *     Retry-After (`watchAnswers`: a wrapper around the devices' fetch, so no client code is changed for it);
 *   - the phones' code refreshes that succeeded or failed, and when each declaration was acknowledged.
 * A failed upload or round waits the app's own backoff (Retry-After as a floor), capped at RETRY_CAP_MS so that a
 * one-minute drill is not spent waiting: a real device keeps its log and waits the whole time, and loses nothing either way.
 */
import { pool, sleep, type City } from '../harness.js';
import type { SimResident } from '../sim/sim-resident.js';

export const RETRY_CAP_MS = 1_000;

export interface Answers {
	requests: number;
	/** "200", "503 storage/full", "network", … */
	answers: Record<string, number>;
	/** 5xx answers other than 503: must stay 0 */
	serverErrors: number;
	/** 503 and 429 answers without a Retry-After header: must stay 0 */
	missingRetryAfter: number;
}

async function problemCode(res: Response): Promise<string> {
	try {
		const code = ((await res.clone().json()) as { code?: unknown }).code;
		return typeof code === 'string' ? code : '';
	} catch {
		return '';
	}
}

/**
 * Counts every answer the simulated devices get until `stop()`. Call it after the city is built (buildCity installs
 * the devices' fetch, which this wraps); stop puts that fetch back.
 */
export function watchAnswers(): { answers: Answers; stop: () => void } {
	const answers: Answers = { requests: 0, answers: {}, serverErrors: 0, missingRetryAfter: 0 };
	const add = (key: string) => (answers.answers[key] = (answers.answers[key] ?? 0) + 1);
	const inner = globalThis.fetch;
	globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
		answers.requests++;
		let res: Response;
		try {
			res = await inner(input, init);
		} catch (e) {
			add('network');
			throw e;
		}
		add(res.status >= 400 ? `${res.status} ${await problemCode(res)}`.trim() : String(res.status));
		if (res.status >= 500 && res.status !== 503) answers.serverErrors++;
		if (res.status === 503 || res.status === 429) {
			const after = Number(res.headers.get('retry-after'));
			if (!Number.isFinite(after) || after <= 0) answers.missingRetryAfter++;
		}
		return res;
	};
	return { answers, stop: () => void (globalThis.fetch = inner) };
}

/** Answers whose key starts with `prefix` (e.g. "503 storage/"). */
export const countAnswers = (a: Answers, prefix: string): number =>
	Object.entries(a.answers)
		.filter(([k]) => k.startsWith(prefix))
		.reduce((n, [, c]) => n + c, 0);

export const answerList = (a: Answers): string =>
	Object.entries(a.answers)
		.sort(([x], [y]) => x.localeCompare(y))
		.map(([k, n]) => `${k}: ${n}`)
		.join(', ');

export interface Ack {
	sent: number;
	answered: number;
}

export interface Traffic {
	/** the phones' code refreshes (sync rounds): answered, or failed */
	reads: { ok: number; failed: number };
	/** declarations submitted, and how many were refused or unanswered */
	submits: number;
	failedSubmits: number;
	/** per phone, its acknowledged declarations: when each was sent and when its answer came */
	acknowledged: Map<SimResident, Ack[]>;
	/** scans logged on the scanners during this traffic */
	scans: number;
	/** stops the loops and waits for the requests in flight */
	stop: () => Promise<void>;
}

/** The codes the city's phones show now (texts a scanner reads; showing needs no server). */
export async function shownTexts(city: City): Promise<string[]> {
	const texts: string[] = [];
	for (const r of city.residents) {
		const s = await r.show();
		if (s.text) texts.push(s.text);
	}
	return texts;
}

/**
 * Runs until `stop()`: each scanner scans a code every `scanEveryMs` and uploads what it holds pending (syncLog);
 * the first `phones` phones run a sync round every 500 ms and submit a declaration every 3 s. Continues the counts
 * of `into` when given (one Traffic across a scenario's phases).
 */
export function startTraffic(
	city: City,
	texts: readonly string[],
	opts: { phones: number; scanEveryMs?: number; into?: Traffic }
): Traffic {
	const every = opts.scanEveryMs ?? 1_000;
	let running = true;
	const t: Traffic = opts.into ?? {
		reads: { ok: 0, failed: 0 },
		submits: 0,
		failedSubmits: 0,
		acknowledged: new Map(),
		scans: 0,
		stop: async () => {}
	};
	const loops: Promise<void>[] = city.scanners.map(async (s, k) => {
		await sleep((k * every) / city.scanners.length); // spread the scanners over the interval
		let n = k;
		while (running) {
			const t0 = Date.now();
			if (texts.length) {
				await s.scan(texts[n++ % texts.length]!);
				t.scans++;
			}
			const out = await s.upload();
			await sleep(out.status === 'failed' ? Math.min(s.retryDelay(), RETRY_CAP_MS) : Math.max(0, every - (Date.now() - t0)));
		}
	});
	for (const r of city.residents.slice(0, opts.phones)) {
		loops.push(
			(async () => {
				for (let n = 0; running; n++) {
					const outcome = await r.sync();
					const ok = outcome === 'updated' || outcome === 'unchanged';
					if (ok) t.reads.ok++;
					else t.reads.failed++;
					let failed = !ok;
					if (n % 6 === 5) {
						t.submits++;
						const sent = Date.now();
						if ((await r.submit()) === null) {
							const acks = t.acknowledged.get(r) ?? [];
							t.acknowledged.set(r, [...acks, { sent, answered: Date.now() }]);
						} else {
							t.failedSubmits++;
							failed = true;
						}
					}
					await sleep(failed ? Math.min(await r.nextDelay(), RETRY_CAP_MS) : 500);
				}
			})()
		);
	}
	t.stop = async () => {
		running = false;
		await Promise.all(loops);
	};
	return t;
}

/**
 * Every scanner scans one more code (logged, not uploaded yet): its next upload then reaches a server that lacks
 * older seqs, and the server's gap report makes the app send them again, whatever the timing of the traffic was.
 */
export async function scanOnce(city: City, texts: readonly string[]): Promise<void> {
	if (!texts.length) throw new Error('no code to scan');
	await pool(city.scanners, 8, (s, k) => s.scan(texts[k % texts.length]!));
}

/** Every scanner uploads until its log is acknowledged (the app's backoff) or `ms` pass; returns whether all are done. */
export async function drainScanners(city: City, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	const outs = await pool(city.scanners, 8, (s) => s.uploadAll(deadline, sleep));
	return outs.every((o) => o.status === 'done');
}

/**
 * Every phone runs sync rounds (with the app's backoff) until one succeeds, then checks what the server gave back
 * against the newest declaration it saw acknowledged (answered by `answeredBefore`): the phone must hold that one or a
 * later one, else it was lost. Also counts the phones that could not sync at all.
 */
export async function declarationsKept(
	city: City,
	acknowledged: Map<SimResident, Ack[]>,
	answeredBefore = Infinity
): Promise<{ checked: number; lost: number; unsynced: number }> {
	let checked = 0,
		lost = 0,
		unsynced = 0;
	await pool(city.residents, 8, async (r) => {
		let synced = false;
		for (let k = 0; k < 10 && !synced; k++) {
			const o = await r.sync();
			synced = o === 'updated' || o === 'unchanged';
			if (!synced) await sleep(Math.min(await r.nextDelay(), 2_000));
		}
		if (!synced) unsynced++;
		const ack = (acknowledged.get(r) ?? []).filter((a) => a.answered <= answeredBefore).at(-1);
		if (ack === undefined) return;
		checked++;
		const held = await r.held();
		// the server stamps the declaration after it was sent, on the same clock as this machine's (no offset); 1 s of
		// slack for rounding, less than the 3 s between one phone's declarations, so an older one cannot pass for it
		if (held.declaredAt === null || held.declaredAt < ack.sent - 1_000) lost++;
	});
	return { checked, lost, unsynced };
}

/** Each phone's code as shown now, read by a scanner (round-robin) that has just refreshed its lists: verdicts by reason. */
export async function verifyPhones(city: City): Promise<{ valid: number; of: number; reasons: Map<string, number> }> {
	await pool(city.scanners, 8, (s) => s.refresh());
	let valid = 0;
	const reasons = new Map<string, number>();
	await pool(city.residents, 8, async (r, i) => {
		const shown = await r.show();
		const v = shown.text ? await city.scanners[i % city.scanners.length]!.scan(shown.text) : null;
		if (v?.verdict === 'valid') valid++;
		else {
			const why = v ? v.reason : `app: ${shown.state}`;
			reasons.set(why, (reasons.get(why) ?? 0) + 1);
		}
	});
	return { valid, of: city.residents.length, reasons };
}

export const reasonList = (m: Map<string, number>): string => (m.size ? ` (${[...m].map(([k, v]) => `${k} ${v}`).join(', ')})` : '');
