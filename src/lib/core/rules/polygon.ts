/**
 * Point in polygon by ray casting (even–odd rule) on [lon, lat] pairs, treated as planar: risk areas are a
 * few km across, so the straight-edge error is negligible, and China is far from the antimeridian, so rings
 * never cross ±180°. A point exactly on an edge may fall either side (floating point); tests use ±1 m.
 */
export function pointInRing(lon: number, lat: number, ring: readonly (readonly [number, number])[]): boolean {
	let inside = false;
	const n = ring.length;
	for (let i = 0, j = n - 1; i < n; j = i++) {
		const [xi, yi] = ring[i]!;
		const [xj, yj] = ring[j]!;
		if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

/** Whether a ring is usable: ≥ 3 finite vertices. */
export function isUsableRing(ring: unknown): ring is readonly (readonly [number, number])[] {
	if (!Array.isArray(ring) || ring.length < 3) return false;
	return ring.every((p) => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]));
}
