/**
 * Stays in risk areas: the person's presence segments (./trajectory.ts) whose point lies in an area (polygon:
 * ray casting on the point's centre; cells: the point's cell), clipped to the area's active window
 * [from, until) and to the look-back window [now − lookbackDays, now]. The accuracy radius is not used here:
 * the authority draws areas generously, and a cell-based point is its cell's centre.
 * A segment of zero length (a lone or last point) is still presence when its instant is in both windows.
 */
import { cellId } from './grid.js';
import { pointInRing } from './polygon.js';
import type { RuleSet } from './rules-schema.js';
import type { WorldIndex } from './spatial-index.js';
import type { Segment } from './trajectory.js';
import { windowStart } from './window.js';

export interface AreaStay {
	readonly areaId: string;
	readonly level: 'high' | 'medium';
	/** Time inside during the windows, in minutes. */
	readonly dwellMinutes: number;
	/** The last instant of presence inside (the event time of the stay). */
	readonly lastAt: number;
	/** The person's trajectory point ids inside. */
	readonly pointIds: readonly string[];
}

/** Every stay (any dwell) of the person in an indexed risk area, ordered by area index. */
export function matchRiskAreas(segs: readonly Segment[], index: WorldIndex, rules: RuleSet, now: number): AreaStay[] {
	if (segs.length === 0 || index.areas.length === 0) return [];
	const lo = {
		high: windowStart(now, rules.rules['high-risk-area-stay'].lookbackDays),
		medium: windowStart(now, rules.rules['medium-risk-area-stay'].lookbackDays)
	};
	const loMin = Math.min(lo.high, lo.medium);
	const acc = new Map<number, { dwell: number; lastAt: number; ids: string[] }>();
	const candidates: number[] = [];
	for (const s of segs) {
		if (s.end < loMin || s.start > now) continue;
		candidates.length = 0;
		if (index.polygonTree) {
			for (const k of index.polygonTree.search(s.lon, s.lat, s.lon, s.lat)) {
				const a = index.polygonArea[k]!;
				const shape = index.areas[a]!.shape;
				if (shape.type === 'polygon' && pointInRing(s.lon, s.lat, shape.ring)) candidates.push(a);
			}
		}
		for (const size of index.areaCellSizes) {
			const id = cellId(s.lat, s.lon, size);
			const list = id === null ? undefined : index.cellAreas.get(id);
			if (list) candidates.push(...list);
		}
		for (const a of candidates) {
			const area = index.areas[a]!;
			const from = Math.max(area.from, lo[area.level]);
			const until = area.until ?? Infinity;
			const end = Math.min(s.end, until, now);
			const overlap = end - Math.max(s.start, from);
			const instant = s.start >= from && s.start < until && s.start <= now;
			if (!(overlap > 0) && !instant) continue;
			const lastAt = overlap > 0 ? end : s.start;
			const cur = acc.get(a);
			if (cur) {
				cur.dwell += Math.max(0, overlap);
				if (lastAt > cur.lastAt) cur.lastAt = lastAt;
				cur.ids.push(s.id);
			} else acc.set(a, { dwell: Math.max(0, overlap), lastAt, ids: [s.id] });
		}
	}
	return [...acc.entries()]
		.sort((x, y) => x[0] - y[0])
		.map(([a, v]) => ({ areaId: index.areas[a]!.id, level: index.areas[a]!.level, dwellMinutes: v.dwell / 60, lastAt: v.lastAt, pointIds: v.ids }));
}
