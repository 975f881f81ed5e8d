import { describe, expect, it } from 'vitest';
import { BASE, offset } from './fixtures.js';
import { distanceM, M_PER_DEG } from './geo.js';
import { cellBounds, cellId, cellKey, cellOf, parseCellId } from './grid.js';

describe('grid cells', () => {
	const c = cellOf(BASE.lat, BASE.lon, 800)!;
	const b = cellBounds(c.id)!;
	const midLat = (b.south + b.north) / 2;
	const midLon = (b.west + b.east) / 2;

	it('are about 800 m × 800 m at the row centre and have a stable id', () => {
		expect(c.id).toMatch(/^g800:\d+:\d+$/);
		expect(distanceM(b.south, midLon, b.north, midLon)).toBeCloseTo(800, 1);
		expect(distanceM(midLat, b.west, midLat, b.east)).toBeCloseTo(800, 0);
		expect(cellId(BASE.lat, BASE.lon, 800)).toBe(c.id);
		expect(parseCellId(c.id)).toEqual(c);
	});

	// 1 m either side of each edge: inside stays in the cell, outside is in the neighbour
	const cases: [string, number, number, string][] = [
		['1 m north of the south edge', 1, 0, 'same'],
		['1 m south of the south edge', -1, 0, 'other'],
		['1 m south of the north edge', 799, 0, 'same'],
		['1 m north of the north edge', 801, 0, 'other']
	];
	it.each(cases)('row edges: %s', (_name, north, _e, expected) => {
		const lat = b.south + north / M_PER_DEG;
		expect(cellId(lat, midLon, 800) === c.id ? 'same' : 'other').toBe(expected);
	});

	const eastM = (m: number) => m / (M_PER_DEG * Math.cos((midLat * Math.PI) / 180));
	it.each([
		['1 m east of the west edge', b.west + eastM(1), 'same'],
		['1 m west of the west edge', b.west - eastM(1), 'other'],
		['1 m west of the east edge', b.east - eastM(1), 'same'],
		['1 m east of the east edge', b.east + eastM(1), 'other']
	] as const)('column edges: %s', (_name, lon, expected) => {
		expect(cellId(midLat, lon, 800) === c.id ? 'same' : 'other').toBe(expected);
	});

	it('puts two points 2 m apart across an edge in different cells and 790 m apart in one (the false-yellow cause)', () => {
		const a = { lat: b.south + 1 / M_PER_DEG, lon: midLon };
		const s = { lat: b.south - 1 / M_PER_DEG, lon: midLon };
		expect(cellId(a.lat, a.lon, 800)).not.toBe(cellId(s.lat, s.lon, 800));
		const far = offset(a, 0, 790);
		expect(cellId(far.lat, far.lon, 800)).toBe(cellId(a.lat, a.lon, 800));
	});

	it('has a numeric key that agrees with the id on both sides of every edge', () => {
		const e = (m: number) => m / (M_PER_DEG * Math.cos((midLat * Math.PI) / 180));
		const probes = [
			[b.south + 1 / M_PER_DEG, midLon],
			[b.south - 1 / M_PER_DEG, midLon],
			[b.north - 1 / M_PER_DEG, midLon],
			[b.north + 1 / M_PER_DEG, midLon],
			[midLat, b.west + e(1)],
			[midLat, b.west - e(1)],
			[midLat, b.east - e(1)],
			[midLat, b.east + e(1)]
		] as const;
		for (const [lat1, lon1] of probes) {
			for (const [lat2, lon2] of probes) {
				expect(cellKey(lat1, lon1, 800) === cellKey(lat2, lon2, 800)).toBe(cellId(lat1, lon1, 800) === cellId(lat2, lon2, 800));
			}
		}
		expect(cellKey(Number.NaN, 0, 800)).toBeNaN();
	});

	it('rejects unusable input', () => {
		expect(cellOf(Number.NaN, 104, 800)).toBeNull();
		expect(cellOf(30, 181, 800)).toBeNull();
		expect(cellOf(30, 104, 0)).toBeNull();
		expect(parseCellId('g800:1:x')).toBeNull();
		expect(cellBounds('nope')).toBeNull();
	});
});
