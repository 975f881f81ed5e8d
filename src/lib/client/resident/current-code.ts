/**
 * Which code to show at `now` (pure, clock as a parameter). The issuer pre-issues the next code with an
 * overlap, so the newest code already valid wins. Past every code's validity there is nothing valid to show:
 * the page says "expired, connect to refresh" — never a placeholder colour. `now` is trustedNow()'s: a phone clock
 * set back is not believed past the time floor.
 */
import type { StoredCode, StoredPerson, SyncState } from './db';

export type CodeDisplay =
	| { state: 'none' }
	| { state: 'expired'; expiredAt: number }
	| { state: 'not-yet'; validFrom: number }
	/** validUntil: the shown code's own end; next: the pre-issued code the app switches to by itself, if stored */
	| { state: 'valid'; code: StoredCode; validUntil: number; next: { iat: number; exp: number } | null };

/**
 * Past this much behind the stored time floor, the phone's clock is called wrong on the page (the same ±300 s of
 * skew signed-data checks allow; a few seconds between the server's Date and this clock is ordinary).
 */
export const CLOCK_SKEW_MS = 300_000;

/**
 * "Now" for judging the stored codes: the device clock, but never earlier than the newest time the server has
 * vouched for (the stored floor). `clockSuspect`: the clock is more than CLOCK_SKEW_MS behind that floor.
 */
export function trustedNow(deviceNow: number, floor: number | null | undefined): { now: number; clockSuspect: boolean } {
	if (floor === null || floor === undefined || !Number.isFinite(floor) || deviceNow >= floor)
		return { now: deviceNow, clockSuspect: false };
	return { now: floor, clockSuspect: floor - deviceNow > CLOCK_SKEW_MS };
}

/** Why the page says the phone's clock is wrong: set back below the floor, or off from the server's time by `byMs`. */
export type ClockNote = { kind: 'set-back' } | { kind: 'slow' | 'fast'; byMs: number };

/**
 * "Now" for everything the resident page does with time — which code shows, its validity, the live proof's 30 s
 * step: the device clock corrected by the offset measured at the last sync (time-floor.ts clockOffset), then never
 * below the time floor. A phone 10 minutes slow or 2 days fast still shows its code, and a scanner accepts the live
 * proof (its step is the server's, within the ±1 step a scanner allows); the page says the clock is wrong (`note`)
 * so the resident can set it. Offline after the sync the correction holds; it is only as old as that sync (a clock
 * changed since is corrected at the next one).
 */
export function residentNow(
	deviceNow: number,
	sync: Pick<SyncState, 'timeFloor' | 'clockOffsetMs'>
): { now: number; clockSuspect: boolean; note: ClockNote | null; offsetMs: number } {
	const offsetMs =
		sync.clockOffsetMs !== undefined && sync.clockOffsetMs !== null && Number.isFinite(sync.clockOffsetMs) ? sync.clockOffsetMs : 0;
	const trusted = trustedNow(deviceNow + offsetMs, sync.timeFloor);
	const note: ClockNote | null = trusted.clockSuspect
		? { kind: 'set-back' }
		: Math.abs(offsetMs) > CLOCK_SKEW_MS
			? { kind: offsetMs > 0 ? 'slow' : 'fast', byMs: Math.abs(offsetMs) }
			: null;
	return { now: trusted.now, clockSuspect: note !== null, note, offsetMs };
}

export function codeDisplay(person: StoredPerson | undefined, now: number): CodeDisplay {
	const codes = person?.codes ?? [];
	if (codes.length === 0) return { state: 'none' };
	const valid = codes.filter((c) => c.iat <= now && now < c.exp).sort((a, b) => b.iat - a.iat);
	const code = valid[0];
	if (code) {
		// The validity shown is the shown code's (what a guard reading this QR checks), not the pre-issued next
		// code's; the page says the app takes the next one over by itself.
		const next = codes.filter((c) => c.iat > code.iat && c.exp > code.exp).sort((a, b) => a.iat - b.iat)[0];
		return { state: 'valid', code, validUntil: code.exp, next: next ? { iat: next.iat, exp: next.exp } : null };
	}
	const future = codes.filter((c) => c.iat > now).sort((a, b) => a.iat - b.iat)[0];
	// A device clock set behind the issuer's: say so rather than show a code the guard would refuse.
	if (future) return { state: 'not-yet', validFrom: future.iat };
	return { state: 'expired', expiredAt: Math.max(...codes.map((c) => c.exp)) };
}
