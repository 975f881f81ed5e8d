/**
 * cellsServing searches outward from the fix (nearest cell first, then only as far as the tolerance reaches);
 * these properties check it against the definition evaluated over the whole table, for tables sparse and dense,
 * fixes near and far (serving-cells.ts: d ≤ d₀ + k·a and d ≤ radius + a, d₀ the nearest cell's distance).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildCellIndex, cellsServing } from './serving-cells.js';
import { distanceM } from './geo.js';
import type { CellSite } from './facts.js';

const LAT = 22.54;
const LON = 114.06;

function byDefinition(cells: readonly CellSite[], lat: number, lon: number, a: number, k: number): string[] {
	if (cells.length === 0) return [];
	const d = cells.map((c) => distanceM(lat, lon, c.lat, c.lon));
	const d0 = Math.min(...d);
	return cells
		.filter((c, i) => d[i]! <= d0 + k * a && d[i]! <= c.radiusM + a)
		.map((c) => c.id)
		.sort();
}

const offset = (km: number) => fc.double({ min: -km / 111, max: km / 111, noNaN: true });
const cell = (spreadKm: number) =>
	fc.record({ dLat: offset(spreadKm), dLon: offset(spreadKm), radiusM: fc.integer({ min: 100, max: 3000 }) });

describe('cellsServing', () => {
	it('equals the definition over the whole table (dense centre, sparse outskirts, far fixes)', () => {
		fc.assert(
			fc.property(
				fc.array(cell(2), { maxLength: 60 }),
				fc.array(cell(20), { maxLength: 20 }),
				offset(25),
				offset(25),
				fc.integer({ min: 0, max: 500 }),
				fc.constantFrom(0, 0.5, 1, 2),
				(dense, sparse, fLat, fLon, a, k) => {
					const cells: CellSite[] = [...dense, ...sparse].map((c, i) => ({
						id: `C${i}`,
						lat: LAT + c.dLat,
						lon: LON + c.dLon,
						radiusM: c.radiusM
					}));
					const lat = LAT + fLat;
					const lon = LON + fLon;
					expect(cellsServing(buildCellIndex(cells), lat, lon, a, k)).toEqual(byDefinition(cells, lat, lon, a, k));
				}
			),
			{ numRuns: 500 }
		);
	});

	it('a fix exactly on a cell site, and one just out of every cell’s reach', () => {
		const cells: CellSite[] = [
			{ id: 'A', lat: LAT, lon: LON, radiusM: 500 },
			{ id: 'B', lat: LAT + 300 / 111_195, lon: LON, radiusM: 500 }
		];
		const index = buildCellIndex(cells);
		expect(cellsServing(index, LAT, LON, 0, 1)).toEqual(['A']);
		// B is ≈ 300 m away: within d₀ + k·a = a exactly when a reaches that distance (k = 1)
		const dB = distanceM(LAT, LON, cells[1]!.lat, cells[1]!.lon);
		expect(cellsServing(index, LAT, LON, dB, 1)).toEqual(['A', 'B']);
		expect(cellsServing(index, LAT, LON, dB - 0.001, 1)).toEqual(['A']);
		// 1 km south of A: 1 000 m > 500 m + 400 m for both
		expect(cellsServing(index, LAT - 1000 / 111_195, LON, 400, 1)).toEqual([]);
	});

	it('finds the nearest cell outside the first search box when a corner cell of the box is farther', () => {
		const m = 111_195.08;
		const cos = Math.cos((LAT * Math.PI) / 180);
		// X 339 m away in the corner of a 250 m box; Y 300 m due north, just outside it: d₀ is Y's
		const cells: CellSite[] = [
			{ id: 'X', lat: LAT + 240 / m, lon: LON + 240 / (m * cos), radiusM: 1000 },
			{ id: 'Y', lat: LAT + 300 / m, lon: LON, radiusM: 1000 }
		];
		expect(cellsServing(buildCellIndex(cells), LAT, LON, 0, 1)).toEqual(['Y']);
		expect(cellsServing(buildCellIndex(cells), LAT, LON, 40, 1)).toEqual(['X', 'Y']);
	});
});
