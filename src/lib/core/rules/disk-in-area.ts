/**
 * Whether a trajectory point's uncertainty disk lies inside a risk area — the geometry behind the risk-area
 * rules' `accuracyFactor` (docs/rules.md, "Risk areas"). A point is a position with an accuracy radius r: the
 * person was somewhere in the disk around it, not at its centre. A cell-based point is the serving tower's
 * position with r of hundreds of metres, so its centre falling inside a 120 m square says nothing about the
 * person having been there (the article's "red for merely passing near"). Presence in an area is shown only
 * when every position the disk allows is inside.
 *
 * Planar in local metres about the point (equirectangular, ./geo.ts): areas and radii are at most a few km.
 * Boundaries: a disk touching the edge from inside (distance exactly ρ) is inside.
 */
import { M_PER_DEG, degreeBox } from './geo.js';
import { cellBounds, cellOf } from './grid.js';
import { pointInRing } from './polygon.js';

const RAD = Math.PI / 180;

/** Distance in metres from the origin to the segment a–b (local metres). */
function distToSegment(ax: number, ay: number, bx: number, by: number): number {
	const dx = bx - ax,
		dy = by - ay;
	const len2 = dx * dx + dy * dy;
	const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
	const x = ax + t * dx,
		y = ay + t * dy;
	return Math.sqrt(x * x + y * y);
}

/**
 * Distance in metres from a point inside a ring to the ring's boundary (the nearest edge), or −1 when the
 * point is outside. Ring as [lon, lat] pairs (./polygon.ts).
 */
export function depthInRing(lat: number, lon: number, ring: readonly (readonly [number, number])[]): number {
	if (!pointInRing(lon, lat, ring)) return -1;
	const kx = M_PER_DEG * Math.cos(lat * RAD);
	let min = Infinity;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i]!;
		const [xj, yj] = ring[j]!;
		const d = distToSegment((xj - lon) * kx, (yj - lat) * M_PER_DEG, (xi - lon) * kx, (yi - lat) * M_PER_DEG);
		if (d < min) min = d;
	}
	return min;
}

/** The disk of radius `radiusM` around the point lies inside the ring (radius 0: the centre is inside). */
export function diskInRing(lat: number, lon: number, radiusM: number, ring: readonly (readonly [number, number])[]): boolean {
	const depth = depthInRing(lat, lon, ring);
	return depth >= 0 && depth >= radiusM;
}

/**
 * The disk lies inside the union of an area's grid cells of one size: every cell of that size that the disk
 * reaches into (distance from the centre to the cell's box < radius) belongs to the area. `inArea(id)` says
 * whether a cell id is one of the area's. Cells of the bounding box of the disk are visited row by row,
 * stopping at the first missing one, so a big disk around a small area costs a handful of look-ups.
 */
export function diskInCells(lat: number, lon: number, radiusM: number, size: number, inArea: (cellId: string) => boolean): boolean {
	const centre = cellOf(lat, lon, size);
	if (!centre || !inArea(centre.id)) return false;
	if (!(radiusM > 0)) return true;
	const { dLat, dLon } = degreeBox(lat, radiusM);
	const kx = M_PER_DEG * Math.cos(lat * RAD);
	const rowLo = Math.floor(((lat - dLat) * M_PER_DEG) / size);
	const rowHi = Math.floor(((lat + dLat) * M_PER_DEG) / size);
	for (let row = rowLo; row <= rowHi; row++) {
		// a latitude inside this row, to find the row's columns (each row has its own column width: ./grid.ts)
		const rowLat = ((row + 0.5) * size) / M_PER_DEG;
		const west = cellOf(rowLat, lon - dLon, size);
		const east = cellOf(rowLat, lon + dLon, size);
		if (!west || !east) return false;
		// the row's bounds and column width once; the columns' bounds follow arithmetically (./grid.ts cellBounds)
		const b = cellBounds(west.id)!;
		const w = b.east - b.west;
		const dy = Math.max(b.south - lat, 0, lat - b.north) * M_PER_DEG;
		for (let col = west.col; col <= east.col; col++) {
			const cw = col * w - 180;
			const dx = Math.max(cw - lon, 0, lon - (cw + w)) * kx;
			if (dx * dx + dy * dy < radiusM * radiusM && !inArea(`g${size}:${row}:${col}`)) return false;
		}
	}
	return true;
}
