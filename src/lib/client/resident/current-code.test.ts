import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, codeDisplay, residentNow, trustedNow } from './current-code';
import { CLOCK_OFFSET_DEADBAND_MS, clockOffset, floorCandidate, raisedFloor } from './time-floor';
import { timeStep } from '$lib/core/live-proof';
import { LIVE_PROOF_SKEW_STEPS } from '$lib/core/constants';
import type { StoredCode, StoredPerson } from './db';

const code = (codeId: string, iat: number, exp: number, colour: StoredCode['colour'] = 'green'): StoredCode => ({
	codeId,
	credential: 'x',
	colour,
	reasons: [],
	kind: 'phone',
	iat,
	exp
});
const person = (codes: StoredCode[]): StoredPerson => ({
	personId: 'p',
	relation: 'self',
	maskedName: '张*',
	codes,
	declaration: null,
	order: 0
});

describe('codeDisplay', () => {
	it('says there is no code rather than inventing one', () => {
		expect(codeDisplay(undefined, 0)).toEqual({ state: 'none' });
		expect(codeDisplay(person([]), 0)).toEqual({ state: 'none' });
	});
	it('shows the newest valid code with its own validity, and the pre-issued next one it switches to', () => {
		const p = person([code('a', 0, 100), code('b', 90, 190)]);
		expect(codeDisplay(p, 50)).toMatchObject({ state: 'valid', code: { codeId: 'a' }, validUntil: 100, next: { iat: 90, exp: 190 } });
		expect(codeDisplay(p, 95)).toMatchObject({ state: 'valid', code: { codeId: 'b' }, validUntil: 190, next: null });
	});
	it('is expired, never a default colour, past every code', () => {
		expect(codeDisplay(person([code('a', 0, 100), code('b', 90, 190)]), 190)).toEqual({ state: 'expired', expiredAt: 190 });
	});
	it('a clock behind the issuer: not yet valid', () => {
		expect(codeDisplay(person([code('a', 100, 200)]), 50)).toEqual({ state: 'not-yet', validFrom: 100 });
	});
});

describe('trustedNow: a phone clock set back is not believed past the time floor', () => {
	it('uses the device clock when it is at or past the floor, or when there is no floor', () => {
		expect(trustedNow(1000, null)).toEqual({ now: 1000, clockSuspect: false });
		expect(trustedNow(1000, undefined)).toEqual({ now: 1000, clockSuspect: false });
		expect(trustedNow(1000, 900)).toEqual({ now: 1000, clockSuspect: false });
	});
	it('uses the floor when the clock is behind it, and calls the clock wrong past the skew', () => {
		expect(trustedNow(1000, 1000 + CLOCK_SKEW_MS)).toEqual({ now: 1000 + CLOCK_SKEW_MS, clockSuspect: false });
		expect(trustedNow(1000, 1001 + CLOCK_SKEW_MS)).toEqual({ now: 1001 + CLOCK_SKEW_MS, clockSuspect: true });
	});
	it('an expired code stays expired on a clock wound back into its validity', () => {
		const p = person([code('a', 0, 100)]);
		expect(codeDisplay(p, trustedNow(50, null).now)).toMatchObject({ state: 'valid' });
		expect(codeDisplay(p, trustedNow(50, 150).now)).toMatchObject({ state: 'expired', expiredAt: 100 });
	});
});

describe('the time floor: raised by the server Date and the earliest code iat, never lowered', () => {
	it('takes the later of the Date header and each person’s earliest iat (a pre-issued next code is ahead of now)', () => {
		const p = person([code('a', 5_000, 9_000), code('b', 8_000_000_000_000, 9_000_000_000_000)]);
		expect(floorCandidate(new Date(4_000).toUTCString(), [p])).toBe(5_000);
		expect(floorCandidate(new Date(1_700_000_000_000).toUTCString(), [p])).toBe(1_700_000_000_000);
		expect(floorCandidate(null, [p])).toBe(5_000);
		expect(floorCandidate('garbage', [])).toBeNull();
	});
	it('only rises', () => {
		expect(raisedFloor(null, 10)).toBe(10);
		expect(raisedFloor(10, 5)).toBe(10);
		expect(raisedFloor(10, 20)).toBe(20);
		expect(raisedFloor(10, null)).toBe(10);
		expect(raisedFloor(undefined, null)).toBeNull();
	});
});

describe('clockOffset: the server’s clock minus the phone’s, measured at a sync', () => {
	const T = 1_765_000_000_000; // the server's time
	it('takes serverTime (ms) against the middle of the request', () => {
		// the phone is 10 minutes slow; the request took 400 ms
		expect(clockOffset({ serverTime: T }, T - 600_000 - 200, T - 600_000 + 200)).toBe(600_000);
		// 2 days fast
		expect(clockOffset({ serverTime: T }, T + 2 * 86_400_000 - 50, T + 2 * 86_400_000 + 50)).toBe(-2 * 86_400_000);
	});
	it('on a 304 reads the Date header (whole seconds) at the middle of its second', () => {
		const date = new Date(T).toUTCString(); // T is a whole second
		expect(clockOffset({ dateHeader: date }, T + 500 - 600_000, T + 500 - 600_000)).toBe(600_000);
	});
	it('leaves a right clock alone: offsets within the noise are 0', () => {
		expect(clockOffset({ serverTime: T }, T - CLOCK_OFFSET_DEADBAND_MS + 1, T - CLOCK_OFFSET_DEADBAND_MS + 1)).toBe(0);
		expect(clockOffset({ serverTime: T }, T + 1_500, T + 1_600)).toBe(0);
		expect(clockOffset({ serverTime: T }, T - CLOCK_OFFSET_DEADBAND_MS, T - CLOCK_OFFSET_DEADBAND_MS)).toBe(CLOCK_OFFSET_DEADBAND_MS);
	});
	it('is null without a usable time (and for an answer before its request)', () => {
		expect(clockOffset({}, T, T)).toBeNull();
		expect(clockOffset({ dateHeader: 'garbage' }, T, T)).toBeNull();
		expect(clockOffset({ serverTime: T }, T, T - 1)).toBeNull();
	});
});

describe('residentNow: the phone clock corrected by the server’s, never below the floor', () => {
	const T = 1_765_000_000_000;
	const codes = person([code('a', T - 3_600_000, T + 86_400_000)]);
	it('a phone 10 minutes slow or 2 days fast shows its code on the server’s time, and says so', () => {
		for (const skew of [-600_000, 600_000, 2 * 86_400_000]) {
			const phone = T + skew;
			const sync = { timeFloor: T - 1_000, clockOffsetMs: clockOffset({ serverTime: T - 1_000 }, phone - 1_000, phone - 1_000) };
			const r = residentNow(phone, sync);
			expect(r.now).toBe(T);
			expect(codeDisplay(codes, r.now)).toMatchObject({ state: 'valid', code: { codeId: 'a' } });
			// the live proof's step is the scanner's (within the ±1 step it allows), not the phone's
			expect(Math.abs(timeStep(r.now) - timeStep(T))).toBeLessThanOrEqual(LIVE_PROOF_SKEW_STEPS);
			expect(r.note).toEqual({ kind: skew < 0 ? 'slow' : 'fast', byMs: Math.abs(skew) });
			expect(r.clockSuspect).toBe(true);
		}
	});
	it('without the correction those phones would fail: 2 days fast reads expired, 10 minutes off is 20 steps off', () => {
		expect(codeDisplay(codes, residentNow(T + 2 * 86_400_000, { timeFloor: T }).now)).toMatchObject({ state: 'expired' });
		expect(Math.abs(timeStep(residentNow(T - 600_000, { timeFloor: null }).now) - timeStep(T))).toBe(20);
	});
	it('a right clock, or an offset within the skew, says nothing', () => {
		expect(residentNow(T, { timeFloor: T - 5_000, clockOffsetMs: 0 })).toEqual({ now: T, clockSuspect: false, note: null, offsetMs: 0 });
		expect(residentNow(T, { timeFloor: null, clockOffsetMs: 60_000 })).toEqual({
			now: T + 60_000,
			clockSuspect: false,
			note: null,
			offsetMs: 60_000
		});
		// rows written before the offset existed
		expect(residentNow(T, { timeFloor: null })).toMatchObject({ now: T, note: null, offsetMs: 0 });
	});
	it('a clock set back after the sync is still held at the floor, and the note says so', () => {
		expect(residentNow(T - 3_600_000, { timeFloor: T, clockOffsetMs: 0 })).toMatchObject({ now: T, note: { kind: 'set-back' } });
	});
});
