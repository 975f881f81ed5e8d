import { describe, expect, it } from 'vitest';
import { backoffMs } from './sync';

describe('backoffMs', () => {
	it('doubles from 2 s to a 5 min cap, jittered within the upper half', () => {
		expect(backoffMs(1, () => 0)).toBe(1000);
		expect(backoffMs(1, () => 1)).toBe(2000);
		expect(backoffMs(3, () => 1)).toBe(8000);
		expect(backoffMs(30, () => 1)).toBe(300_000);
		expect(backoffMs(30, () => 0)).toBe(150_000);
	});
	it("takes a server's Retry-After as a floor, spread over up to 1.5× (no herd returning in the same second)", () => {
		expect(backoffMs(1, () => 0, 30)).toBe(30_000);
		expect(backoffMs(1, () => 1, 30)).toBe(45_000);
		// a longer backoff than the Retry-After wins
		expect(backoffMs(30, () => 1, 1)).toBe(300_000);
	});
});
