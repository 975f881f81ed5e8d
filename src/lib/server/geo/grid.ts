/**
 * The storage grid for trajectory points: cells of GRID_DEG × GRID_DEG degrees (0.01° ≈ 1.1 km north–south,
 * ≈ 1.0 km east–west at Shenzhen's latitude), numbered row * 100 000 + column from (−90°, −180°). Each stored
 * point carries its cell (trajectory_points.grid, indexed with `at`), so the people who were near an area in
 * a window are found by one index range scan per cell instead of a full scan.
 *
 * This grid is only a pre-filter: the rules evaluator still decides, from the exact point, its accuracy radius
 * and the exact shape, whether a point counts. Candidates are taken with a margin of the largest accuracy radius
 * a point may have (MAX_ACCURACY_M, enforced by the import validators), so no point that could count is missed.
 */
// The evaluator's own metres-per-degree, so the margin in degrees is exactly the one the rules measure with.
import { M_PER_DEG as M_PER_DEG_LAT } from '../../core/rules/geo.js';

export const GRID_DEG = 0.01;
const COLUMNS = 100_000;
/** Largest accuracy radius accepted for a point (a rural cell tower); the import rejects more. */
export const MAX_ACCURACY_M = 5000;

export function gridRow(lat: number): number {
	return Math.floor((lat + 90) / GRID_DEG);
}

export function gridCol(lon: number): number {
	return Math.floor((lon + 180) / GRID_DEG);
}

export function gridOf(lat: number, lon: number): number {
	return gridRow(lat) * COLUMNS + gridCol(lon);
}

export interface BBox {
	west: number;
	south: number;
	east: number;
	north: number;
}

/** The bounding box of [lon, lat] pairs. */
export function bboxOf(points: readonly (readonly [number, number])[]): BBox {
	let west = Infinity;
	let south = Infinity;
	let east = -Infinity;
	let north = -Infinity;
	for (const [lon, lat] of points) {
		west = Math.min(west, lon);
		east = Math.max(east, lon);
		south = Math.min(south, lat);
		north = Math.max(north, lat);
	}
	return { west, south, east, north };
}

/** The box grown by `marginM` metres on every side (longitude scaled by the cosine of the extreme latitude). */
export function expandBBox(b: BBox, marginM: number): BBox {
	const dLat = marginM / M_PER_DEG_LAT;
	const cos = Math.max(0.01, Math.cos((Math.max(Math.abs(b.south), Math.abs(b.north)) + dLat) * (Math.PI / 180)));
	const dLon = marginM / (M_PER_DEG_LAT * cos);
	return { west: b.west - dLon, south: b.south - dLat, east: b.east + dLon, north: b.north + dLat };
}

/** Every grid cell that intersects the box. */
export function cellsCovering(b: BBox): number[] {
	const out: number[] = [];
	for (let r = gridRow(b.south); r <= gridRow(b.north); r++) {
		for (let c = gridCol(b.west); c <= gridCol(b.east); c++) out.push(r * COLUMNS + c);
	}
	return out;
}
