/**
 * A polygon ring as the authority enters it (console, CLI, imports): [lon, lat] pairs in degrees. Pure parsing,
 * shared by risk areas entered by hand (server/recolour/risk-areas.ts) and imported (server/sources/kinds.ts).
 */

export const MAX_RING_POINTS = 1000;

/** A ring of [lon, lat] pairs (JSON text or an array): ≥ 3 distinct points, closed or not. */
export function parseRing(value: unknown): { ok: true; ring: [number, number][] } | { ok: false; en: string; zh: string } {
	let v = value;
	if (typeof v === 'string') {
		try {
			v = JSON.parse(v);
		} catch {
			return { ok: false, en: 'polygon must be JSON [[lon, lat], ...]', zh: '多边形须为 JSON [[经度, 纬度], ...]' };
		}
	}
	if (!Array.isArray(v) || v.length < 3 || v.length > MAX_RING_POINTS)
		return { ok: false, en: `polygon needs 3 to ${MAX_RING_POINTS} [lon, lat] points`, zh: `多边形须有 3 到 ${MAX_RING_POINTS} 个点` };
	const ring: [number, number][] = [];
	for (const p of v) {
		if (
			!Array.isArray(p) ||
			p.length !== 2 ||
			typeof p[0] !== 'number' ||
			typeof p[1] !== 'number' ||
			!(Math.abs(p[0]) <= 180) ||
			!(Math.abs(p[1]) <= 90)
		) {
			return { ok: false, en: 'each point is [lon, lat] in degrees (lon −180…180, lat −90…90)', zh: '每个点须为 [经度, 纬度]' };
		}
		ring.push([p[0], p[1]]);
	}
	if (new Set(ring.map((p) => p.join(','))).size < 3)
		return { ok: false, en: 'polygon needs 3 distinct points', zh: '多边形须有 3 个不同的点' };
	return { ok: true, ring };
}
