import { describe, expect, it } from 'vitest';
import { nextDelayMs, unreachable } from './sync';

describe('nextDelayMs', () => {
	it('refreshes every ~5 min when healthy, ±50 % jitter', () => {
		expect(nextDelayMs(0, 0)).toBe(150_000);
		expect(nextDelayMs(0, 0.5)).toBe(300_000);
		expect(nextDelayMs(0, 0.999)).toBeLessThan(450_000);
	});
	it('backs off exponentially from 5 s to a 10 min cap after failures', () => {
		expect(nextDelayMs(1, 0.5)).toBe(5_000);
		expect(nextDelayMs(2, 0.5)).toBe(10_000);
		expect(nextDelayMs(5, 0.5)).toBe(80_000);
		expect(nextDelayMs(30, 0.5)).toBe(600_000);
		expect(nextDelayMs(30, 0)).toBe(300_000);
	});
	it("takes a server's Retry-After as a floor, spread over up to 1.5×", () => {
		expect(nextDelayMs(1, 0, 20_000)).toBe(20_000);
		expect(nextDelayMs(1, 1, 20_000)).toBe(30_000);
		expect(nextDelayMs(1, 0.5, null)).toBe(5_000);
		// a longer backoff than the Retry-After wins
		expect(nextDelayMs(30, 0.5, 1_000)).toBe(600_000);
	});
});

describe('unreachable', () => {
	it('no answer or a gateway saying the server is down: unreachable; the server answering with an error: not', () => {
		expect([0, 502, 503, 504].map(unreachable)).toEqual([true, true, true, true]);
		expect([400, 401, 429, 500].map(unreachable)).toEqual([false, false, false, false]);
	});
});
