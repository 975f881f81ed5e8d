import { describe, expect, it } from 'vitest';
import { BASE, offset } from './fixtures.js';
import { depthInRing, diskInCells, diskInRing } from './disk-in-area.js';
import { cellOf } from './grid.js';

/** An L of 200 m arms around BASE (metres east, north → [lon, lat]): the inner (reflex) corner is at (100, 100). */
const L = (
	[
		[0, 0],
		[200, 0],
		[200, 100],
		[100, 100],
		[100, 200],
		[0, 200]
	] as const
).map(([e, n]) => {
	const p = offset(BASE, e, n);
	return [p.lon, p.lat] as [number, number];
});

describe('depthInRing / diskInRing', () => {
	it.each([
		['middle of the lower arm: 50 m from its long edges', 150, 50, 50],
		['outside (in the notch of the L)', 150, 150, -1],
		['diagonally below-left of the reflex corner: the corner vertex is nearest', 90, 90, Math.SQRT2 * 10],
		['1 m inside the west edge', 1, 150, 1]
	] as const)('%s', (_name, e, n, depth) => {
		const p = offset(BASE, e, n);
		const d = depthInRing(p.lat, p.lon, L);
		if (depth < 0) expect(d).toBe(-1);
		else expect(d).toBeCloseTo(depth, 1);
	});

	it('takes the boundary as inside (a disk touching the edge from inside) and radius 0 as the centre alone', () => {
		const p = offset(BASE, 150, 50);
		const depth = depthInRing(p.lat, p.lon, L);
		expect(diskInRing(p.lat, p.lon, depth, L)).toBe(true);
		expect(diskInRing(p.lat, p.lon, depth + 0.01, L)).toBe(false);
		const q = offset(BASE, 150, 150);
		expect(diskInRing(q.lat, q.lon, 0, L)).toBe(false);
	});
});

describe('diskInCells', () => {
	const c = cellOf(BASE.lat, BASE.lon, 800)!;
	const only = (id: string) => id === c.id;
	it('needs the centre cell', () => {
		const far = offset(BASE, 5000, 0);
		expect(diskInCells(far.lat, far.lon, 0, 800, only)).toBe(false);
		expect(diskInCells(BASE.lat, BASE.lon, 0, 800, only)).toBe(true);
	});
	it('needs every cell the disk reaches, and nothing more', () => {
		const all = () => true;
		expect(diskInCells(BASE.lat, BASE.lon, 3000, 800, all)).toBe(true);
		const seen = new Set<string>();
		diskInCells(BASE.lat, BASE.lon, 1000, 800, (id) => (seen.add(id), true));
		// a 1 km disk reaches 3–4 rows of 800 m cells and 3–4 columns in each: never more than 16
		expect(seen.size).toBeGreaterThanOrEqual(9);
		expect(seen.size).toBeLessThanOrEqual(16);
	});
	it('rejects unusable coordinates', () => {
		expect(diskInCells(Number.NaN, BASE.lon, 10, 800, () => true)).toBe(false);
	});
});
