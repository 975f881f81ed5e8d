import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, codeDisplay, trustedNow } from './current-code';
import { floorCandidate, raisedFloor } from './time-floor';
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
