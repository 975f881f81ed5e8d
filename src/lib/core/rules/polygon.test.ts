import { describe, expect, it } from 'vitest';
import { BASE, offset, square } from './fixtures.js';
import { isUsableRing, pointInRing } from './polygon.js';

describe('pointInRing', () => {
	const ring = square(BASE, 400);
	it.each([
		['centre', 0, 0, true],
		['1 m inside the east edge', 399, 0, true],
		['1 m outside the east edge', 401, 0, false],
		['1 m inside the south edge', 0, -399, true],
		['1 m outside the south edge', 0, -401, false],
		['1 m inside a corner', 399, 399, true],
		['1 m outside a corner diagonally', 401, 401, false]
	] as const)('%s', (_name, east, north, inside) => {
		const p = offset(BASE, east, north);
		expect(pointInRing(p.lon, p.lat, ring)).toBe(inside);
	});

	it('handles a concave ring (L shape)', () => {
		const L: [number, number][] = [
			[0, 0],
			[2, 0],
			[2, 1],
			[1, 1],
			[1, 2],
			[0, 2]
		];
		expect(pointInRing(0.5, 1.5, L)).toBe(true);
		expect(pointInRing(1.5, 1.5, L)).toBe(false);
	});

	it('knows usable rings', () => {
		expect(isUsableRing(ring)).toBe(true);
		expect(
			isUsableRing([
				[0, 0],
				[1, 1]
			])
		).toBe(false);
		expect(
			isUsableRing([
				[0, 0],
				[1, Number.NaN],
				[1, 0]
			])
		).toBe(false);
	});
});
