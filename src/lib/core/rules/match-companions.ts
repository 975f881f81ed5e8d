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
 * Venue scans (precise method, scanStayMinutes > 0; ./scan-stays.ts, docs/rules.md "Venue scans") come first:
 * - the person's and a case's scan stays at the same venue overlapping are exact co-presence, at full weight; the
 *   trajectory does not count that time again for that case;
 * - cell-only time (the coarse matches) during which the person and the case were scanned into DIFFERENT venues
 *   does not count: the scans contradict the cell. Without a scan on one side the cell evidence counts as before
 *   (not everyone scans); fix–fix distance matches are direct evidence and stay.
 */
import { degreeBox, distanceM } from './geo.js';
import { cellKey } from './grid.js';
import type { VenueVisit } from './facts.js';
import { refineCellSegments } from './refine-cell-segments.js';
import { compareStays, coveredSeconds, scanStays, type ScanStay } from './scan-stays.js';
import type { CompanionRule } from './rules-schema.js';
import { cellsServing } from './serving-cells.js';
import type { SlotTree, WorldIndex } from './spatial-index.js';
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
	/** where the person was at the last co-presence (their own point, or the venue both were scanned into) */
	readonly lastWhere?: CompanionWhere;
}

/** The person's own place at a co-presence: a venue (exact scans) or their point with its accuracy. */
export type CompanionWhere =
	| { readonly kind: 'venue'; readonly id: string }
	| { readonly kind: 'point'; readonly lat: number; readonly lon: number; readonly accuracyM: number };

interface Acc {
	overlap: number;
	lastAt: number;
	ids: Set<string>;
	caseIds: Set<string>;
	where: CompanionWhere | undefined;
}

const pointOf = (s: Segment): CompanionWhere => ({ kind: 'point', lat: s.lat, lon: s.lon, accuracyM: s.accuracyM });

function add(
	acc: Map<number, Acc>,
	caseIdx: number,
	overlap: number,
	lastAt: number,
	id: string,
	caseId: string,
	where?: CompanionWhere
): void {
	const cur = acc.get(caseIdx);
	if (cur) {
		cur.overlap += overlap;
		if (lastAt > cur.lastAt) {
			cur.lastAt = lastAt;
			cur.where = where;
		}
		cur.ids.add(id);
		cur.caseIds.add(caseId);
	} else acc.set(caseIdx, { overlap, lastAt, ids: new Set([id]), caseIds: new Set([caseId]), where });
}

/** Whether a segment of the tree within `reachM` (a box) overlaps [a, b) in time. */
function anyOverlap(t: SlotTree, lat: number, lon: number, reachM: number, a: number, b: number, X: WorldIndex['segs']): boolean {
	const { dLat, dLon } = degreeBox(lat, reachM + 1);
	const hits = t.tree.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat);
	for (let n = 0; n < hits.length; n++) {
		const j = t.seg[hits[n]!]!;
		if (Math.min(b, X.end[j]!) > Math.max(a, X.start[j]!)) return true;
	}
	return false;
}

/**
 * Whether any case segment overlapping the segment in time is within reach of a precise match — a necessary
 * condition (boxes, then time), so that refinement and cell look-ups are paid only where it holds:
 * - a fix: a case fix within the distance test's reach, or a case cell-based segment whose cell site is within
 *   the widest cell radius + the fix's accuracy (serving-cells.ts: coverage);
 * - a cell-based segment of cell C: a case segment in C's bucket (same cell, or a fix C could serve); or, as
 *   refinement may move it to a fix P of the same stay that C could serve (|P − site C| ≤ r_C + a_P), or to a
 *   habitual place (the centre of such fixes), what such a P could reach.
 * Any time overlap in the box answers: scanning the hits for exact tests cost more than it saved.
 */
function hasCaseNear(s: Segment, lo: number, now: number, index: WorldIndex, rule: CompanionRule): boolean {
	const a = Math.max(s.start, lo);
	const b = Math.min(s.end, now);
	if (!(b > a) || index.segs.count === 0) return false;
	const X = index.segs;
	const { distanceM: D, accuracyFactor: k, maxAccuracyM } = rule.precise;
	const firstSlot = Math.floor((a - index.maxGapS) / index.slotS);
	const lastSlot = Math.floor(b / index.slotS);
	// the place the segment (or its refinement) is known to be within `spread` metres of, and its accuracy
	let lat = s.lat;
	let lon = s.lon;
	let spread = 0;
	let acc = s.accuracyM;
	if (s.accuracyM > maxAccuracyM) {
		if (s.cell === undefined) return false;
		const bySlot = index.cellBuckets.get(s.cell);
		if (bySlot) {
			for (let slot = firstSlot; slot <= lastSlot; slot++)
				for (const j of bySlot.get(slot) ?? []) if (Math.min(b, X.end[j]!) > Math.max(a, X.start[j]!)) return true;
		}
		const site = index.cells.byId.get(s.cell);
		// refinement and habitual places (./habitual-places.ts: the centre of such fixes) both stay within that disk
		if (!site || !(index.refine.refineS > 0 || (index.refine.habitualSpreadM ?? 0) > 0)) return false;
		lat = site.lat;
		lon = site.lon;
		spread = site.radiusM + maxAccuracyM;
		acc = maxAccuracyM;
	}
	for (let slot = firstSlot; slot <= lastSlot; slot++) {
		const bucket = index.slotBuckets.get(slot);
		if (!bucket) continue;
		if (bucket.fine && anyOverlap(bucket.fine, lat, lon, spread + D + k * (acc + bucket.fine.maxAccuracyM), a, b, X)) return true;
		if (bucket.sites && anyOverlap(bucket.sites, lat, lon, spread + index.cells.maxRadiusM + acc, a, b, X)) return true;
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
	acc: Map<number, Acc>,
	scans: ScanEvidence
): void {
	const X = index.segs;
	const fix = s.accuracyM <= rule.precise.maxAccuracyM;
	const cells = fix
		? cellsServing(index.cells, s.lat, s.lon, s.accuracyM, rule.precise.cellToleranceFactor)
		: s.cell === undefined
			? []
			: [s.cell];
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
				const start = Math.max(a, X.start[j]!);
				const overlap = scans.counted(ci, start, end, true);
				if (end > start && overlap > 0) add(acc, ci, overlap * rule.precise.coarseWeight, end, s.id, X.pointId[j]!, pointOf(s));
			}
		}
	}
}

/**
 * The person's scan stays against the cases': what trajectory time with case ci still counts (`counted`), per case
 * computed once when first asked. Empty (everything counts) when scans are not used or the person has none.
 */
class ScanEvidence {
	private readonly cmp = new Map<number, ReturnType<typeof compareStays>>();
	constructor(
		readonly mine: readonly ScanStay[],
		private readonly index: WorldIndex
	) {}
	private of(ci: number) {
		let c = this.cmp.get(ci);
		if (!c) this.cmp.set(ci, (c = compareStays(this.mine, this.index.caseScans.get(ci) ?? [])));
		return c;
	}
	/** seconds of [a, b) with case ci that trajectory evidence may count (cell-only: `coarse`) */
	counted(ci: number, a: number, b: number, coarse: boolean): number {
		if (!(b > a)) return 0;
		if (this.mine.length === 0 || !this.index.caseScans.has(ci)) return b - a;
		const c = this.of(ci);
		return b - a - coveredSeconds(a, b, c.same) - (coarse ? coveredSeconds(a, b, c.apart) : 0);
	}
	/** exact co-presence: the person's stays against the cases' stays at the same venue */
	exact(personRef: string, acc: Map<number, Acc>): void {
		const S = this.index.scanStayS;
		for (const p of this.mine) {
			const list = this.index.scanVenues.get(p.venueId);
			if (!list) continue;
			// a case stay overlapping [p.from, p.until) starts in (p.from − S, p.until)
			let lo = 0,
				hi = list.length;
			while (lo < hi) {
				const mid = (lo + hi) >>> 1;
				if (list[mid]!.from <= p.from - S) lo = mid + 1;
				else hi = mid;
			}
			for (let i = lo; i < list.length && list[i]!.from < p.until; i++) {
				const c = list[i]!;
				if (this.index.caseRefs[c.caseIdx] === personRef) continue;
				const end = Math.min(p.until, c.until);
				const overlap = end - Math.max(p.from, c.from);
				if (overlap > 0) add(acc, c.caseIdx, overlap, end, p.id, c.id, { kind: 'venue', id: p.venueId });
			}
		}
	}
}

const NO_VISITS: readonly VenueVisit[] = [];

/**
 * Every case the person was co-present with (any time > 0), ordered by case ref, with whether it qualifies.
 * `visits`: the person's guard scans (the precise method's venue evidence; ignored by the grid method).
 */
export function matchCompanions(
	segs: readonly Segment[],
	index: WorldIndex,
	rule: CompanionRule,
	personRef: string,
	now: number,
	visits: readonly VenueVisit[] = NO_VISITS
): CompanionMatch[] {
	const precise = rule.method === 'precise';
	const lo = windowStart(now, rule.lookbackDays);
	// the person's stays inside the look-back (a stay reaching past now is cut there, like trajectory time)
	const mine =
		precise && index.scanStayS > 0 && index.scanVenues.size > 0 ? scanStays(visits, index.scanStayS, { from: lo, until: now }) : [];
	if ((segs.length === 0 || index.segs.count === 0) && mine.length === 0) return [];
	const X = index.segs;
	const acc = new Map<number, Acc>();
	const scans = new ScanEvidence(mine, index);
	scans.exact(personRef, acc);
	const { distanceM: D, accuracyFactor: k, maxAccuracyM, coarseWeight: w } = rule.precise;
	// Most segments have no case segment anywhere near in space and time: find those that do first (k-d look-ups
	// only), so refinement and cell look-ups are paid for the few that may match.
	const near = precise ? segs.map((s) => hasCaseNear(s, lo, now, index, rule)) : null;
	const refined = near ? refineCellSegments(segs, index.cells, index.refine, (i) => near[i]!) : segs;
	for (let si = 0; si < refined.length; si++) {
		if (near && !near[si]) continue;
		const s = refined[si]!;
		const a = Math.max(s.start, lo);
		const b = Math.min(s.end, now);
		if (!(b > a)) continue;
		// segments overlapping [a, b) start in (a − maxGap, b)
		const firstSlot = Math.floor((a - index.maxGapS) / index.slotS);
		const lastSlot = Math.floor(b / index.slotS);
		if (precise && w > 0) coarseMatches(s, a, b, firstSlot, lastSlot, index, rule, personRef, acc, scans);
		if (precise && s.accuracyM > maxAccuracyM) continue;
		const cellSlots = precise ? undefined : index.gridBuckets.get(cellKey(s.lat, s.lon, index.cellSizeM));
		if (!precise && !cellSlots) continue;
		for (let slot = firstSlot; slot <= lastSlot; slot++) {
			let found: ArrayLike<number> | undefined;
			let map: Int32Array | null = null;
			if (precise) {
				const fine = index.slotBuckets.get(slot)?.fine;
				if (!fine) continue;
				const r = D + k * (s.accuracyM + fine.maxAccuracyM);
				const { dLat, dLon } = degreeBox(s.lat, r);
				found = fine.tree.range(s.lon - dLon, s.lat - dLat, s.lon + dLon, s.lat + dLat);
				map = fine.seg;
			} else {
				found = cellSlots!.get(slot);
				if (!found) continue;
			}
			for (let n = 0; n < found.length; n++) {
				const j = map ? map[found[n]!]! : found[n]!;
				const ci = X.caseIdx[j]!;
				if (index.caseRefs[ci] === personRef) continue;
				const end = Math.min(b, X.end[j]!);
				let overlap = end - Math.max(a, X.start[j]!);
				if (!(overlap > 0)) continue;
				if (precise) {
					const rj = X.accuracyM[j]!;
					if (rj > maxAccuracyM) continue;
					const d = distanceM(s.lat, s.lon, X.lat[j]!, X.lon[j]!);
					if (Math.max(0, d - k * (s.accuracyM + rj)) > D) continue;
					// time the scans already counted exactly is not counted twice
					overlap = scans.counted(ci, Math.max(a, X.start[j]!), end, false);
					if (!(overlap > 0)) continue;
				}
				add(acc, ci, overlap, end, s.id, X.pointId[j]!, pointOf(s));
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
			casePointIds: [...v.caseIds],
			...(v.where ? { lastWhere: v.where } : {})
		});
	}
	return out.sort((x, y) => (x.caseRef < y.caseRef ? -1 : x.caseRef > y.caseRef ? 1 : 0));
}
