/**
 * Spatiotemporal companions (时空伴随): time the person spent near a confirmed case at the same time,
 * within the look-back window [now − lookbackDays, now], summed per case. Two methods (docs/rules.md):
 * - grid: both in the same grid cell (./grid.ts), accuracy ignored — the publicised coarse baseline;
 *   qualifies when the time is MORE than grid.minOverlapMinutes;
 * - precise: a person point and a case point match when the lower bound of their distance,
 *   max(0, d − accuracyFactor·(r₁ + r₂)), is ≤ distanceM; points with r > maxAccuracyM are not used;
 *   qualifies when the time is AT LEAST precise.minDwellMinutes.
 * Co-presence time is the overlap of presence segments (./trajectory.ts). A person is never their own companion.
 */
import { degreeBox, distanceM } from './geo.js';
import { cellKey } from './grid.js';
import type { CompanionRule } from './rules-schema.js';
import type { WorldIndex } from './spatial-index.js';
import type { Segment } from './trajectory.js';
import { windowStart } from './window.js';

export interface CompanionMatch {
	readonly caseRef: string;
	readonly overlapMinutes: number;
	/** end of the last co-presence (the exposure time) */
	readonly lastAt: number;
	readonly qualifies: boolean;
	readonly pointIds: readonly string[];
	readonly casePointIds: readonly string[];
}

interface Acc {
	overlap: number;
	lastAt: number;
	ids: Set<string>;
	caseIds: Set<string>;
}

function add(acc: Map<number, Acc>, caseIdx: number, overlap: number, lastAt: number, id: string, caseId: string): void {
	const cur = acc.get(caseIdx);
	if (cur) {
		cur.overlap += overlap;
		if (lastAt > cur.lastAt) cur.lastAt = lastAt;
		cur.ids.add(id);
		cur.caseIds.add(caseId);
	} else acc.set(caseIdx, { overlap, lastAt, ids: new Set([id]), caseIds: new Set([caseId]) });
}

/** Every case the person was co-present with (any time > 0), ordered by case ref, with whether it qualifies. */
export function matchCompanions(
	segs: readonly Segment[],
	index: WorldIndex,
	rule: CompanionRule,
	personRef: string,
	now: number
): CompanionMatch[] {
	if (segs.length === 0 || index.segs.count === 0) return [];
	const lo = windowStart(now, rule.lookbackDays);
	const X = index.segs;
	const acc = new Map<number, Acc>();
	const precise = rule.method === 'precise';
	const { distanceM: D, accuracyFactor: k, maxAccuracyM } = rule.precise;
	for (const s of segs) {
		const a = Math.max(s.start, lo);
		const b = Math.min(s.end, now);
		if (!(b > a)) continue;
		if (precise && s.accuracyM > maxAccuracyM) continue;
		// segments overlapping [a, b) start in (a − maxGap, b)
		const firstSlot = Math.floor((a - index.maxGapS) / index.slotS);
		const lastSlot = Math.floor(b / index.slotS);
		const cellSlots = precise ? undefined : index.gridBuckets.get(cellKey(s.lat, s.lon, index.cellSizeM));
		if (!precise && !cellSlots) continue;
		for (let slot = firstSlot; slot <= lastSlot; slot++) {
			let found: ArrayLike<number> | undefined;
			let map: Int32Array | null = null;
			if (precise) {
				const bucket = index.slotBuckets.get(slot);
				if (!bucket) continue;
				const r = D + k * (s.accuracyM + Math.min(bucket.maxAccuracyM, maxAccuracyM));
				const { dLat, dLon } = degreeBox(s.lat, r);
				found = bucket.tree.range(s.lon - dLon, s.lat - dLat, s.lon + dLon, s.lat + dLat);
				map = bucket.seg;
			} else {
				found = cellSlots!.get(slot);
				if (!found) continue;
			}
			for (let n = 0; n < found.length; n++) {
				const j = map ? map[found[n]!]! : found[n]!;
				const ci = X.caseIdx[j]!;
				if (index.caseRefs[ci] === personRef) continue;
				const end = Math.min(b, X.end[j]!);
				const overlap = end - Math.max(a, X.start[j]!);
				if (!(overlap > 0)) continue;
				if (precise) {
					const rj = X.accuracyM[j]!;
					if (rj > maxAccuracyM) continue;
					const d = distanceM(s.lat, s.lon, X.lat[j]!, X.lon[j]!);
					if (Math.max(0, d - k * (s.accuracyM + rj)) > D) continue;
				}
				add(acc, ci, overlap, end, s.id, X.pointId[j]!);
			}
		}
	}
	const out: CompanionMatch[] = [];
	for (const [ci, v] of acc) {
		const qualifies = precise ? v.overlap >= rule.precise.minDwellMinutes * 60 : v.overlap > rule.grid.minOverlapMinutes * 60;
		out.push({
			caseRef: index.caseRefs[ci]!,
			overlapMinutes: v.overlap / 60,
			lastAt: v.lastAt,
			qualifies,
			pointIds: [...v.ids],
			casePointIds: [...v.caseIds]
		});
	}
	return out.sort((x, y) => (x.caseRef < y.caseRef ? -1 : x.caseRef > y.caseRef ? 1 : 0));
}
