/**
 * Plane geometry for the map on [lon, lat] rings at city scale: a local equirectangular projection around the
 * ring (metres), exact enough for an area's size and centre and for which district holds a point.
 */
import { M_PER_DEG } from '../../core/rules/geo.js';

export type Ring = readonly (readonly [number, number])[];

const metres = (ring: Ring) => {
	const lat0 = ring.reduce((s, p) => s + p[1], 0) / Math.max(1, ring.length);
	const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180);
	return { kx, ky: M_PER_DEG };
};

/** Area in m² of a simple ring (closed or not), by the shoelace formula. */
export function ringAreaM2(ring: Ring): number {
	const { kx, ky } = metres(ring);
	let a = 0;
	for (let i = 0; i < ring.length; i++) {
		const [x1, y1] = ring[i]!;
		const [x2, y2] = ring[(i + 1) % ring.length]!;
		a += x1 * kx * (y2 * ky) - x2 * kx * (y1 * ky);
	}
	return Math.abs(a) / 2;
}

/** The centroid [lon, lat] of a simple ring (the vertices' mean when it has no area). */
export function ringCentre(ring: Ring): [number, number] {
	let a = 0;
	let cx = 0;
	let cy = 0;
	for (let i = 0; i < ring.length; i++) {
		const [x1, y1] = ring[i]!;
		const [x2, y2] = ring[(i + 1) % ring.length]!;
		const f = x1 * y2 - x2 * y1;
		a += f;
		cx += (x1 + x2) * f;
		cy += (y1 + y2) * f;
	}
	if (Math.abs(a) < 1e-18) {
		const n = Math.max(1, ring.length);
		return [ring.reduce((s, p) => s + p[0], 0) / n, ring.reduce((s, p) => s + p[1], 0) / n];
	}
	return [cx / (3 * a), cy / (3 * a)];
}

/** Ray casting: is [lon, lat] inside the ring? */
export function inRing(p: readonly [number, number], ring: Ring): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i]!;
		const [xj, yj] = ring[j]!;
		if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

/** Inside a GeoJSON Polygon (outer ring minus holes) or MultiPolygon. */
export function inPolygons(p: readonly [number, number], polygons: readonly (readonly Ring[])[]): boolean {
	return polygons.some((rings) => rings.length > 0 && inRing(p, rings[0]!) && !rings.slice(1).some((h) => inRing(p, h)));
}

/** A closed rectangle ring [lon, lat] for a box. */
export function boxRing(b: { west: number; south: number; east: number; north: number }): [number, number][] {
	return [
		[b.west, b.south],
		[b.east, b.south],
		[b.east, b.north],
		[b.west, b.north],
		[b.west, b.south]
	];
}
