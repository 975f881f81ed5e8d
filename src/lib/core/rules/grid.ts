/**
 * Stable grid cells of about size × size metres, computed from latitude/longitude alone (no reference point,
 * so the id of a place never changes when the world changes).
 *
 * Rows are bands of `size` metres of latitude counted from the equator: row = ⌊lat·M/size⌋, M = metres per
 * degree. Because a degree of longitude shrinks with latitude (× cos φ), each row has its own column width
 * in degrees, chosen so that a cell is `size` metres wide at the row's centre latitude φr:
 * col = ⌊(lon + 180)·M·cos φr / size⌋. Across an 800 m row the width varies by < 0.02 % in China.
 * Cells of neighbouring rows do not line up (like bricks) — irrelevant for "same cell" tests.
 *
 * Id: `g<size>:<row>:<col>`, e.g. `g800:4261:33964` (天府广场, 成都). Risk areas given as cells (facts.ts RiskArea) use these ids.
 */
import { M_PER_DEG, isLatLon } from './geo.js';

const RAD = Math.PI / 180;

export interface Cell {
	readonly size: number;
	readonly row: number;
	readonly col: number;
	readonly id: string;
}

function colWidthDeg(size: number, row: number): number {
	const centreLat = ((row + 0.5) * size) / M_PER_DEG;
	return size / (M_PER_DEG * Math.cos(centreLat * RAD));
}

/** The cell of a point, or null for unusable coordinates or size. */
export function cellOf(lat: number, lon: number, size: number): Cell | null {
	if (!isLatLon(lat, lon) || !(size > 0) || !Number.isFinite(size)) return null;
	const row = Math.floor((lat * M_PER_DEG) / size);
	const col = Math.floor((lon + 180) / colWidthDeg(size, row));
	return { size, row, col, id: `g${size}:${row}:${col}` };
}

/** Just the id (what the index and the risk areas use). */
export function cellId(lat: number, lon: number, size: number): string | null {
	return cellOf(lat, lon, size)?.id ?? null;
}

/**
 * A numeric key of the cell (for hash look-ups without building strings): row·2²⁶ + col, exact in a double
 * for every size ≥ 1 m. Only comparable between cells of the same size. NaN for unusable input.
 */
export function cellKey(lat: number, lon: number, size: number): number {
	if (!isLatLon(lat, lon) || !(size > 0) || !Number.isFinite(size)) return Number.NaN;
	const row = Math.floor((lat * M_PER_DEG) / size);
	return row * 67_108_864 + Math.floor((lon + 180) / colWidthDeg(size, row));
}

const CELL_ID = /^g(\d{1,5}):(-?\d{1,7}):(-?\d{1,7})$/;

export function parseCellId(id: string): Cell | null {
	const m = CELL_ID.exec(id);
	if (!m) return null;
	const size = Number(m[1]),
		row = Number(m[2]),
		col = Number(m[3]);
	if (size <= 0) return null;
	return { size, row, col, id };
}

/** The cell's bounds in degrees (south, west inclusive; north, east exclusive), for maps and the demo city. */
export function cellBounds(id: string): { south: number; north: number; west: number; east: number } | null {
	const c = parseCellId(id);
	if (!c) return null;
	const w = colWidthDeg(c.size, c.row);
	return {
		south: (c.row * c.size) / M_PER_DEG,
		north: ((c.row + 1) * c.size) / M_PER_DEG,
		west: c.col * w - 180,
		east: (c.col + 1) * w - 180
	};
}
