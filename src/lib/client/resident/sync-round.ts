/**
 * One sync round of the resident app: the codes (with ETag), and the delay before the next round. The page's
 * scheduling (timer, `online`, listeners) is sync.ts; this file has no page state, so the drill's simulated
 * phones (scripts/drill/sim/sim-resident.ts) run exactly these rounds in Node.
 */
import { problemFromThrown } from '$lib/core/contract/error-problem';
import { isErrorCode } from '$lib/core/contract/errors';
import { toBase64Url } from '$lib/core/bytes';
import { getMyCodes, registerDeviceKey } from './resident-api';
import { patchSync, readSync, residentDb } from './db';
import { deviceKey, markRegistered } from './device-key';
import { holderKeyOf } from './holder-key';
import { clockOffset, floorCandidate, raisedFloor } from './time-floor';
import { deviceNow } from './device-clock';

/** 'offline': the server could not be reached (no network, refused, timed out, or a gateway saying it is down). */
export type SyncOutcome = 'updated' | 'unchanged' | 'signed-out' | 'offline' | 'error';

/** A failed call: its problem code, and whether it means the server could not be reached at all. */
class SyncFailure extends Error {
	constructor(
		code: string,
		readonly unreachable: boolean,
		/** the server's Retry-After (a shedding server's 503, a 429), seconds */
		readonly retryAfterSeconds?: number
	) {
		super(code);
	}
}

/** No answer (status 0: network, refused, timeout) or a gateway's "the server behind me is down" (502–504). */
export const unreachable = (status: number): boolean => status === 0 || status === 502 || status === 503 || status === 504;

/** Register this device's public key once per sign-in (codes are bound to it). */
export async function registerDevice(): Promise<'ok' | 'signed-out'> {
	const key = await deviceKey();
	if (key.registered) return 'ok';
	const r = await registerDeviceKey({ publicKey: toBase64Url(key.publicKey) });
	if (r.ok) {
		await markRegistered(true);
		return 'ok';
	}
	if (r.problem.status === 401) {
		await patchSync({ signedIn: false });
		return 'signed-out';
	}
	// Offline or a server error: counts as a failed round (backoff).
	throw new SyncFailure(r.problem.code, unreachable(r.problem.status), r.problem.retryAfterSeconds);
}

export async function syncCodes(): Promise<SyncOutcome> {
	const state = await readSync();
	if (!state.signedIn) return 'signed-out';
	if ((await registerDevice()) === 'signed-out') return 'signed-out';
	const sentAt = deviceNow();
	const r = await getMyCodes(state.codesEtag);
	const answeredAt = deviceNow();
	if (!r.ok) {
		if (r.problem.status === 401) {
			await patchSync({ signedIn: false });
			return 'signed-out';
		}
		throw new SyncFailure(r.problem.code, unreachable(r.problem.status), r.problem.retryAfterSeconds);
	}
	// The account signed in on another phone since: its codes are bound to that phone's key and could not be
	// shown from here. Keep what this device has (superseded codes verify until they expire) and ask for a
	// new sign-in, rather than silently taking the binding back and forth.
	const key = await deviceKey();
	const mine = toBase64Url(key.publicKey);
	const data = r.data;
	if (
		r.status === 200 &&
		data !== null &&
		data.people.some((p) => p.codes.some((c) => c.kind !== 'paper' && holderKeyOf(c.credential) !== mine))
	) {
		await markRegistered(false);
		await patchSync({ signedIn: false, codesEtag: null, lastError: 'device/replaced' });
		return 'signed-out';
	}
	if (r.status === 304 || data === null) {
		const stored = await residentDb().people.toArray();
		await patchSync({
			syncedAt: answeredAt,
			timeFloor: raisedFloor(state.timeFloor, floorCandidate(r.headers.get('date'), stored)),
			clockOffsetMs: clockOffset({ dateHeader: r.headers.get('date') }, sentAt, answeredAt) ?? state.clockOffsetMs ?? null
		});
		return 'unchanged';
	}
	const db = residentDb();
	await db.transaction('rw', db.people, async () => {
		await db.people.clear();
		await db.people.bulkPut(
			data.people.map((p, order) => ({
				personId: p.personId,
				relation: p.relation,
				maskedName: p.maskedName,
				// Only what display needs (see db.ts): no ID fragments beyond what the code itself carries.
				codes: p.codes
					.filter((c) => c.kind !== 'paper')
					.map((c) => ({
						codeId: c.codeId,
						credential: c.credential,
						colour: c.colour,
						reasons: c.reasons,
						kind: c.kind,
						iat: c.iat,
						exp: c.exp
					})),
				declaration: p.declaration,
				explanation: p.explanation ?? null,
				order
			}))
		);
	});
	await patchSync({
		codesEtag: r.headers.get('etag'),
		syncedAt: answeredAt,
		timeFloor: raisedFloor(state.timeFloor, floorCandidate(r.headers.get('date'), data.people)),
		clockOffsetMs:
			clockOffset({ serverTime: data.serverTime, dateHeader: r.headers.get('date') }, sentAt, answeredAt) ?? state.clockOffsetMs ?? null
	});
	return 'updated';
}

/**
 * One round: the codes (what the resident sees). The trust list, status list and config are not fetched: nothing
 * on the phone reads them (the guard's scanner verifies; the phone only shows what the issuer signed).
 */
export async function syncAll(): Promise<SyncOutcome> {
	try {
		const outcome = await syncCodes();
		// signed-out keeps its reason (session expired, or the account moved to another phone) for the page.
		if (outcome === 'signed-out') return outcome;
		await patchSync({ failures: 0, lastError: null, retryAfterMs: null });
		return outcome;
	} catch (error) {
		const state = await readSync();
		// Always a code (thrown above as Error(code), or a fetch / parse failure mapped to one), never a raw message.
		const message =
			error instanceof Error && (isErrorCode(error.message) || /^http\/\d{3}$/.test(error.message))
				? error.message
				: problemFromThrown(error).code;
		const retryAfter = error instanceof SyncFailure ? error.retryAfterSeconds : undefined;
		await patchSync({
			failures: state.failures + 1,
			lastError: message,
			retryAfterMs: retryAfter === undefined ? null : retryAfter * 1000
		});
		const down = error instanceof SyncFailure ? error.unreachable : message === 'network/unavailable';
		return down ? 'offline' : 'error';
	}
}

/**
 * Routine refresh every ~5 min; exponential backoff from 5 s to 10 min after failures, all with ±50 % jitter. A
 * server's Retry-After is a floor, spread over up to 1.5× so that the phones it shed do not all come back in the
 * same second (the morning rush, docs/drills.md).
 */
export function nextDelayMs(failures: number, random: number, retryAfterMs?: number | null): number {
	const base = failures === 0 ? 5 * 60_000 : Math.min(10 * 60_000, 5_000 * 2 ** (failures - 1));
	const backoff = Math.round(base * (0.5 + random));
	return retryAfterMs ? Math.max(backoff, Math.round(retryAfterMs * (1 + random / 2))) : backoff;
}
