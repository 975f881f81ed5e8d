/**
 * A simulated resident's phone: the resident PWA's own client code (src/lib/client/resident) in Node, with its own
 * IndexedDB (fake-indexeddb) and cookie jar (device-context.ts). Sign-in, declaration, the codes' sync round and
 * its backoff are the app's functions (resident-api.ts, sync-round.ts); showing a code is what the /app page does:
 * the stored codes judged at trustedNow (current-code.ts), the live proof for the phone clock's 30 s step signed
 * with the device key (live-proof.ts, device-key.ts). Showing never calls the server.
 *
 * The phone's clock is the drill's clock plus `skewMs` (residents with wrong clocks: ±10 min, +2 days); the app
 * reads it through its device-clock seam and corrects it by the server's time as the page does (residentNow).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { fromBase64Url } from '../../../src/lib/core/bytes.js';
import { codeText } from '../../../src/lib/core/code-text.js';
import { encodeLiveCode, timeStep } from '../../../src/lib/core/live-proof.js';
import { patchSync, ResidentDb, readSync } from '../../../src/lib/client/resident/db.js';
import { codeDisplay, residentNow, type CodeDisplay } from '../../../src/lib/client/resident/current-code.js';
import { deviceKey } from '../../../src/lib/client/resident/device-key.js';
import { requestOtp, signIn, submitDeclaration } from '../../../src/lib/client/resident/resident-api.js';
import { nextDelayMs, syncAll, type SyncOutcome } from '../../../src/lib/client/resident/sync-round.js';
import { inDevice, newNet, type DeviceContext, type NetStats } from './device-context.js';

export interface Identity {
	name: string;
	idNumber: string;
	phone: string;
	region: string;
}

export interface Shown {
	state: CodeDisplay['state'];
	/** the QR's text (credential + live proof), when a valid code shows */
	text?: string;
	codeId?: string;
	colour?: string;
}

export class SimResident {
	readonly device: DeviceContext;
	/** sync rounds run, and how many failed */
	rounds = 0;
	failedRounds = 0;

	constructor(
		readonly identity: Identity,
		n: number,
		origin: () => string,
		stats: NetStats,
		/** the drill's clock (ms) */
		readonly clock: () => number,
		readonly skewMs = 0
	) {
		this.device = {
			name: `phone-${n}`,
			net: newNet(origin, n, stats),
			residentDb: new ResidentDb(`tongxing-resident`, { indexedDB: new IDBFactory(), IDBKeyRange }),
			now: () => this.now()
		};
	}

	/** The phone's own clock. */
	now(): number {
		return this.clock() + this.skewMs;
	}

	#run<T>(fn: () => Promise<T>): Promise<T> {
		return inDevice(this.device, fn);
	}

	/**
	 * Signs in with a one-time code (read from the demo server's SMS outbox, the drill's "SMS"), declares, and
	 * syncs once: the app's own calls. Returns the failure's code, or null. `otp` reads the code for a phone.
	 */
	onboard(otp: (phone: string) => Promise<string>): Promise<string | null> {
		return this.#run(async () => {
			const id = this.identity;
			const challenge = await requestOtp({ phone: id.phone });
			if (!challenge.ok) return challenge.problem.code;
			const session = await signIn({ challengeId: challenge.data.challengeId, phone: id.phone, code: await otp(id.phone) });
			if (!session.ok) return session.problem.code;
			await patchSync({ signedIn: true });
			return this.declare();
		});
	}

	/** A declaration (the app's form submission, then its sync round for the codes). Returns the failure's code, or null. */
	declare(): Promise<string | null> {
		return this.#run(async () => {
			// the device key is registered before a declaration can issue codes bound to it (the app does this at sign-in)
			const first = await syncAll();
			if (first === 'signed-out') return 'auth/required';
			const submitted = await this.submit();
			if (submitted) return submitted;
			const synced = await syncAll();
			return synced === 'updated' || synced === 'unchanged' ? null : `sync/${synced}`;
		});
	}

	/** The declaration form's submission alone (POST /api/v1/declarations). Returns the failure's code, or null. */
	submit(): Promise<string | null> {
		return this.#run(async () => {
			const id = this.identity;
			const r = await submitDeclaration({
				name: id.name,
				idNumber: id.idNumber,
				phone: id.phone,
				region: id.region,
				addressDetail: '演练 1 栋',
				temperature: 36.5,
				symptoms: ['none'],
				travel: []
			});
			return r.ok ? null : r.problem.code;
		});
	}

	/** What the phone holds for its own person: the declaration's time and the codes. */
	held(): Promise<{ declaredAt: number | null; codes: { codeId: string; iat: number; exp: number; colour: string }[] }> {
		return this.#run(async () => {
			const person = (await this.device.residentDb!.people.orderBy('order').toArray())[0];
			return {
				declaredAt: person?.declaration?.submittedAt ?? null,
				codes: (person?.codes ?? []).map((c) => ({ codeId: c.codeId, iat: c.iat, exp: c.exp, colour: c.colour }))
			};
		});
	}

	/** One sync round of the app (sync-round.ts syncAll). */
	sync(): Promise<SyncOutcome> {
		return this.#run(async () => {
			this.rounds++;
			const outcome = await syncAll();
			if (outcome !== 'updated' && outcome !== 'unchanged') this.failedRounds++;
			return outcome;
		});
	}

	/** The app's delay before its next round (backoff with jitter, Retry-After as a floor). */
	nextDelay(): Promise<number> {
		return this.#run(async () => {
			const s = await readSync();
			return nextDelayMs(s.failures, Math.random(), s.retryAfterMs);
		});
	}

	/** What the /app page would show now: from IndexedDB only. */
	show(): Promise<Shown> {
		return this.#run(async () => {
			const db = this.device.residentDb!;
			const person = (await db.people.orderBy('order').toArray())[0];
			const sync = await readSync();
			// what the /app page does: the phone's clock corrected by the server's at the last sync (LiveQr's step too)
			const now = residentNow(this.now(), sync).now;
			const display = codeDisplay(person, now);
			if (display.state !== 'valid') return { state: display.state };
			const bytes = fromBase64Url(display.code.credential);
			if (!bytes) return { state: 'none' };
			const key = await deviceKey();
			const text = codeText(await encodeLiveCode(bytes, timeStep(now), key.sign));
			return { state: 'valid', text, codeId: display.code.codeId, colour: display.code.colour };
		});
	}
}
