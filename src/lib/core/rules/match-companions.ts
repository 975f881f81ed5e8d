/**
 * Spatiotemporal companions (时空伴随): time the person spent near a confirmed case at the same time,
 * within the look-back window [now − lookbackDays, now], summed per case. Two methods (docs/rules.md):
 * - grid: both in the same grid cell (./grid.ts), accuracy ignored — the publicised coarse baseline;
 *   qualifies when the time is MORE than grid.minOverlapMinutes;
 * - precise: two fixes (r ≤ maxAccuracyM) match when the lower bound of their distance,
 *   max(0, d − accuracyFactor·(r₁ + r₂)), is ≤ distanceM. Cell-based points first take the position of a fix
 *   of the same stay where one exists (./refine-cell-segments.ts); those that remain match at the resolution
 *   of one cell — the same serving cell, or a fix in a cell that could have served it (./serving-cells.ts) —
 *   and their time counts at coarseWeight (0: not used). Qualifies when the time is AT LEAST
 *   precise.minDwellMinutes. The index must be built for the same precise settings (spatial-index.ts
 *   indexFits; evaluate checks it).
 * Co-presence time is the overlap of presence segments (./trajectory.ts). A person is never their own companion.
 */
import { degreeBox, distanceM } from './geo.js';
import { cellKey } from './grid.js';
import { refineCellSegments } from './refine-cell-segments.js';
import type { CompanionRule } from './rules-schema.js';
import { cellsServing } from './serving-cells.js';
import type { WorldIndex } from './spatial-index.js';
import type { Segment } from './trajectory.js';
import { windowStart } from './window.js';

export interface CompanionMatch {
	readonly caseRef: string;
	/** co-present minutes; in the precise method, time known only to one cell counts at coarseWeight */
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

/**
 * Whether any case segment overlapping the segment in time lies within reach of any precise match: the distance
 * test, a cell that could serve a fix, or — for a cell-based segment — a fix it may be refined to (inside its
 * radius) and that fix's distance test.
 */
function hasCaseNear(s: Segment, lo: number, now: number, index: WorldIndex, rule: CompanionRule): boolean {
	const a = Math.max(s.start, lo);
	const b = Math.min(s.end, now);
	if (!(b > a) || index.segs.count === 0) return false;
	const p = rule.precise;
	const fixReach = p.distanceM + p.accuracyFactor * 2 * p.maxAccuracyM;
	const reach =
		s.accuracyM <= p.maxAccuracyM
			? Math.max(fixReach, index.cells.maxRadiusM + s.accuracyM)
			: // a fix in the cell is within its radius (+ the fix's own accuracy) of the cell's position
				Math.max(s.accuracyM, (s.cell === undefined ? undefined : index.cells.byId.get(s.cell)?.radiusM) ?? 0) + p.maxAccuracyM + fixReach;
	const { dLat, dLon } = degreeBox(s.lat, reach);
	const firstSlot = Math.floor((a - index.maxGapS) / index.slotS);
	const lastSlot = Math.floor(b / index.slotS);
	for (let slot = firstSlot; slot <= lastSlot; slot++) {
		const bucket = index.slotBuckets.get(slot);
		if (!bucket) continue;
		for (const n of bucket.tree.range(s.lon - dLon, s.lat - dLat, s.lon + dLon, s.lat + dLat)) {
			const j = bucket.seg[n]!;
			if (Math.min(b, index.segs.end[j]!) > Math.max(a, index.segs.start[j]!)) return true;
		}
	}
	return false;
}

/**
 * Co-presence known at the resolution of one cell, weighted by coarseWeight: a cell-based person segment
 * against the case segments in its cell (same cell, or fixes it could have served); a person fix against the
 * case's cell-based segments of the cells that could have served it. Fix–fix pairs are the distance test's.
 */
function coarseMatches(
	s: Segment,
	a: number,
	b: number,
	firstSlot: number,
	lastSlot: number,
	index: WorldIndex,
	rule: CompanionRule,
	personRef: string,
	acc: Map<number, Acc>
): void {
	const X = index.segs;
	const fix = s.accuracyM <= rule.precise.maxAccuracyM;
	const cells = fix ? cellsServing(index.cells, s.lat, s.lon, s.accuracyM, rule.precise.cellToleranceFactor) : s.cell === undefined ? [] : [s.cell];
	for (const cell of cells) {
		const bySlot = index.cellBuckets.get(cell);
		if (!bySlot) continue;
		for (let slot = firstSlot; slot <= lastSlot; slot++) {
			const found = bySlot.get(slot);
			if (!found) continue;
			for (const j of found) {
				if (fix && X.coarse[j] !== 1) continue;
				const ci = X.caseIdx[j]!;
				if (index.caseRefs[ci] === personRef) continue;
				const end = Math.min(b, X.end[j]!);
				const overlap = end - Math.max(a, X.start[j]!);
				if (overlap > 0) add(acc, ci, overlap * rule.precise.coarseWeight, end, s.id, X.pointId[j]!);
			}
		}
	}
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
	const { distanceM: D, accuracyFactor: k, maxAccuracyM, coarseWeight: w } = rule.precise;
	// Most segments have no case segment anywhere near in space and time: find those that do first (k-d look-ups
	// only), so refinement and cell look-ups are paid for the few that may match.
	const near = precise ? segs.map((s) => hasCaseNear(s, lo, now, index, rule)) : null;
	const mine = near ? refineCellSegments(segs, index.cells, index.refine, (i) => near[i]!) : segs;
	for (let si = 0; si < mine.length; si++) {
		if (near && !near[si]) continue;
		const s = mine[si]!;
		const a = Math.max(s.start, lo);
		const b = Math.min(s.end, now);
		if (!(b > a)) continue;
		// segments overlapping [a, b) start in (a − maxGap, b)
		const firstSlot = Math.floor((a - index.maxGapS) / index.slotS);
		const lastSlot = Math.floor(b / index.slotS);
		if (precise && w > 0) coarseMatches(s, a, b, firstSlot, lastSlot, index, rule, personRef, acc);
		if (precise && s.accuracyM > maxAccuracyM) continue;
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
