/**
 * Stays in risk areas: the person's presence segments (./trajectory.ts) whose point places the person in an
 * area, clipped to the area's active window [from, until) and to the look-back window [now − lookbackDays, now].
 * A point places the person in an area when its accuracy radius r is at most the level's rule `maxAccuracyM`
 * and its disk of radius accuracyFactor·r lies inside the area (./disk-in-area.ts; polygon: the centre inside
 * and every edge at least that far; cells: every cell the disk reaches is one of the area's). accuracyFactor 0
 * is the centre alone. Why: a cell-based point is the tower's position, hundreds of metres from the phone —
 * its centre inside a 120 m square is not presence (docs/rules.md, "Risk areas").
 * A segment of zero length (a lone or last point) is still presence when its instant is in both windows.
 */
import { diskInCells, diskInRing } from './disk-in-area.js';
import { cellId } from './grid.js';
import type { RiskAreaRule, RuleSet } from './rules-schema.js';
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
	const rule = { high: rules.rules['high-risk-area-stay'], medium: rules.rules['medium-risk-area-stay'] };
	const lo = { high: windowStart(now, rule.high.lookbackDays), medium: windowStart(now, rule.medium.lookbackDays) };
	const loMin = Math.min(lo.high, lo.medium);
	const acc = new Map<number, { dwell: number; lastAt: number; ids: string[] }>();
	const candidates = new Set<number>();
	for (const s of segs) {
		if (s.end < loMin || s.start > now) continue;
		candidates.clear();
		// the disk inside implies the centre inside: the centre's look-ups find every area that can count
		if (index.polygonTree) {
			for (const k of index.polygonTree.search(s.lon, s.lat, s.lon, s.lat)) {
				const a = index.polygonArea[k]!;
				const area = index.areas[a]!;
				const radius = diskRadius(rule[area.level], s.accuracyM);
				if (area.shape.type === 'polygon' && radius !== null && diskInRing(s.lat, s.lon, radius, area.shape.ring)) candidates.add(a);
			}
		}
		for (const size of index.areaCellSizes) {
			const id = cellId(s.lat, s.lon, size);
			const list = id === null ? undefined : index.cellAreas.get(id);
			if (!list) continue;
			for (const a of list) {
				if (candidates.has(a)) continue;
				const radius = diskRadius(rule[index.areas[a]!.level], s.accuracyM);
				if (radius !== null && diskInCells(s.lat, s.lon, radius, size, (cell) => index.cellAreas.get(cell)?.includes(a) ?? false))
					candidates.add(a);
			}
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
		.map(([a, v]) => ({
			areaId: index.areas[a]!.id,
			level: index.areas[a]!.level,
			dwellMinutes: v.dwell / 60,
			lastAt: v.lastAt,
			pointIds: v.ids
		}));
}

/**
 * The radius (metres) of the disk that must lie inside an area for a point of accuracy `accuracyM`, or null when
 * the point is too vague to place anyone (radius above maxAccuracyM, inclusive limit). Rule documents stored
 * before the geometry fields existed may lack them: centre only, no limit (rules-schema.ts fills the same).
 */
export function diskRadius(rule: RiskAreaRule, accuracyM: number): number | null {
	const max = (rule.maxAccuracyM as number | null | undefined) ?? null;
	if (max !== null && accuracyM > max) return null;
	return ((rule.accuracyFactor as number | undefined) ?? 0) * accuracyM;
}
