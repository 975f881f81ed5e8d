/**
 * The world index, built once per recolour run (or per rules preview) from WorldFacts, so that matching one
 * person costs look-ups, not scans:
 * - risk areas: a Flatbush R-tree over polygon bounding boxes (then ray casting), a hash of cell ids;
 * - case trajectories as presence segments (./trajectory.ts), bucketed by the time slot their segment starts
 *   in (slots of maxGap, at least 10 min): per slot a KDBush k-d tree over segment positions (precise method)
 *   and a hash cell → slot (grid method). A segment is at most maxGap long, so the segments overlapping
 *   [a, b) start in (a − maxGap, b): a query visits about three slots, and each segment lives in exactly one
 *   slot (no double counting). Fixes and cell-based segments (at their cell's site) have separate trees: a
 *   fix's distance test needs a box of tens of metres, a cell's reach is its radius;
 * - case venue visits: per venue, visit times sorted for binary search; and the cases' scan stays (./scan-stays.ts,
 *   clipped to the companion rule's infectious window) per case and per venue, for the precise method's venue evidence;
 * - the carrier's cell table (./serving-cells.ts) and, per cell and slot, the case segments that are in the
 *   cell (cell-based points of that cell and fixes it could have served) for the precise method's coarse
 *   matches. Case segments' positions are refined (./refine-cell-segments.ts) for the precise method; the grid
 *   buckets use the reported positions, as the publicised grid rule did.
 * Unusable world facts (bad coordinates, rings with < 3 vertices, unknown levels, non-finite times) are skipped.
 */
import Flatbush from 'flatbush';
import KDBush from 'kdbush';
import type { RiskArea, WorldFacts } from './facts.js';
import { cellKey, parseCellId } from './grid.js';
import { isUsableRing } from './polygon.js';
import type { RuleSet } from './rules-schema.js';
import { refineCellSegments, type RefineOptions } from './refine-cell-segments.js';
import { buildCellIndex, cellsServing, type CellIndex } from './serving-cells.js';
import { infectiousWindows, type TimeWindow } from './infectious-window.js';
import { scanStays, type ScanStay } from './scan-stays.js';
import { segments } from './trajectory.js';
import { listOf } from './window.js';

const MIN_SLOT_S = 600;

/** A k-d tree over some of a slot's case segments; kd item i → segment index seg[i]. */
export interface SlotTree {
	readonly tree: KDBush;
	readonly seg: Int32Array;
	/** largest accuracy radius of its segments (for the query box) */
	readonly maxAccuracyM: number;
}

export interface SlotBucket {
	/** the fixes (accuracy ≤ the precise method's maxAccuracyM, refined cell points included), at their positions */
	readonly fine: SlotTree | null;
	/**
	 * the cell-based segments whose cell is in the carrier's table, at the cell's SITE (table position): what a
	 * fix can match at one cell's resolution (serving-cells.ts) lies within the site's radius of the fix
	 */
	readonly sites: SlotTree | null;
}

export interface CaseSegments {
	readonly count: number;
	readonly start: Float64Array;
	readonly end: Float64Array;
	readonly lat: Float64Array;
	readonly lon: Float64Array;
	readonly accuracyM: Float64Array;
	/** 1: a cell-based point (accuracy above the precise method's maxAccuracyM, not refined) */
	readonly coarse: Uint8Array;
	/** index into caseRefs */
	readonly caseIdx: Int32Array;
	/** a cell-based segment's cell as an index into cells.cells (−1: a fix, or a cell not in the table) */
	readonly site: Int32Array;
	readonly pointId: readonly string[];
}

export interface WorldIndex {
	/** What the index was built for: evaluate refuses rules that need another grid size or gap. */
	readonly cellSizeM: number;
	readonly maxGapS: number;
	/** the precise method's settings the case segments were refined and bucketed with */
	readonly refine: RefineOptions;
	readonly cells: CellIndex;
	/** cell id → slot → indices of the case segments in that cell */
	readonly cellBuckets: ReadonlyMap<string, ReadonlyMap<number, readonly number[]>>;
	/** length of a time slot of the case-segment buckets (seconds) */
	readonly slotS: number;
	readonly areas: readonly RiskArea[];
	readonly polygonTree: Flatbush | null;
	/** Flatbush item i → index into areas */
	readonly polygonArea: Int32Array;
	readonly cellAreas: ReadonlyMap<string, readonly number[]>;
	/** distinct cell sizes used by cell-shaped risk areas */
	readonly areaCellSizes: readonly number[];
	readonly caseRefs: readonly string[];
	readonly segs: CaseSegments;
	/** slot number (⌊start / slotS⌋) → k-d tree of the segments starting in it */
	readonly slotBuckets: ReadonlyMap<number, SlotBucket>;
	/** cellKey (./grid.ts) → slot → segment indices */
	readonly gridBuckets: ReadonlyMap<number, ReadonlyMap<number, readonly number[]>>;
	readonly venues: ReadonlyMap<string, { readonly at: Float64Array; readonly caseIdx: Int32Array; readonly visitId: readonly string[] }>;
	/** the precise method's scan stay (seconds; 0: scans not used) the case scan stays were built with */
	readonly scanStayS: number;
	/** caseIdx → the case's scan stays inside its companion infectious window, sorted */
	readonly caseScans: ReadonlyMap<number, readonly ScanStay[]>;
	/** venue id → the cases' scan stays there, sorted by start (a stay is at most scanStayS long) */
	readonly scanVenues: ReadonlyMap<string, readonly (ScanStay & { readonly caseIdx: number })[]>;
	/** the infectious look-backs (days) the case segments and visits were clipped with (companion, venue co-visit) */
	readonly infectious: { readonly companion: number | null; readonly venue: number | null };
}

const isLevel = (l: unknown): boolean => l === 'high' || l === 'medium';

function usableArea(a: RiskArea): boolean {
	if (a === null || typeof a !== 'object' || !isLevel(a.level) || !Number.isFinite(a.from)) return false;
	if (a.until !== undefined && !Number.isFinite(a.until)) return false;
	const s = a.shape as unknown as { type?: unknown; ring?: unknown; cells?: unknown } | null;
	if (s?.type === 'polygon') return isUsableRing(s.ring);
	if (s?.type === 'cells') return listOf(s.cells as readonly unknown[]).length > 0;
	return false;
}

function indexAreas(world: WorldFacts) {
	const areas = listOf(world.riskAreas).filter(usableArea);
	const polys: number[] = [];
	const cellAreas = new Map<string, number[]>();
	const sizes = new Set<number>();
	areas.forEach((a, i) => {
		if (a.shape.type === 'polygon') polys.push(i);
		else {
			for (const id of a.shape.cells) {
				const c = typeof id === 'string' ? parseCellId(id) : null;
				if (!c) continue;
				sizes.add(c.size);
				const list = cellAreas.get(c.id);
				if (!list) cellAreas.set(c.id, [i]);
				else if (!list.includes(i)) list.push(i);
			}
		}
	});
	let polygonTree: Flatbush | null = null;
	if (polys.length > 0) {
		polygonTree = new Flatbush(polys.length);
		for (const i of polys) {
			const ring = (areas[i]!.shape as { ring: readonly (readonly [number, number])[] }).ring;
			let minX = Infinity,
				minY = Infinity,
				maxX = -Infinity,
				maxY = -Infinity;
			for (const [x, y] of ring) {
				if (x < minX) minX = x;
				if (x > maxX) maxX = x;
				if (y < minY) minY = y;
				if (y > maxY) maxY = y;
			}
			polygonTree.add(minX, minY, maxX, maxY);
		}
		polygonTree.finish();
	}
	return { areas, polygonTree, polygonArea: Int32Array.from(polys), cellAreas, areaCellSizes: [...sizes].sort((a, b) => a - b) };
}

function indexCaseSegments(
	world: WorldFacts,
	cellSizeM: number,
	maxGapS: number,
	slotS: number,
	cells: CellIndex,
	refine: RefineOptions,
	windows: ReadonlyMap<string, TimeWindow>
) {
	const caseRefs: string[] = [];
	const all: { caseIdx: number; s: ReturnType<typeof segments>[number]; at: ReturnType<typeof segments>[number] }[] = [];
	for (const c of listOf(world.caseTrajectories)) {
		if (!c || typeof c.ref !== 'string') continue;
		const idx = caseRefs.length;
		caseRefs.push(c.ref);
		const raw = segments(c.points, maxGapS);
		// refined over all the case's points (a fix outside the window still says where a stay inside it was),
		// then clipped to the infectious window: presence outside it is no evidence
		const refined = refineCellSegments(raw, cells, refine);
		const w = windows.get(c.ref);
		// zero-length segments (last points) cannot overlap anything in time: not indexed
		raw.forEach((s, i) => {
			const r = refined[i]!;
			const start = w ? Math.max(r.start, w.from) : r.start;
			const end = w ? Math.min(r.end, w.until) : r.end;
			if (end > start) all.push({ caseIdx: idx, s: start === r.start && end === r.end ? r : { ...r, start, end }, at: s });
		});
	}
	const n = all.length;
	const segs = {
		count: n,
		start: new Float64Array(n),
		end: new Float64Array(n),
		lat: new Float64Array(n),
		lon: new Float64Array(n),
		accuracyM: new Float64Array(n),
		coarse: new Uint8Array(n),
		caseIdx: new Int32Array(n),
		site: new Int32Array(n).fill(-1),
		pointId: new Array<string>(n)
	};
	const siteOf = new Map(cells.cells.map((c, i) => [c.id, i]));
	const bySlot = new Map<number, number[]>();
	const gridBuckets = new Map<number, Map<number, number[]>>();
	const cellBuckets = new Map<string, Map<number, number[]>>();
	const addTo = <K>(m: Map<K, Map<number, number[]>>, key: K, slot: number, i: number) => {
		let bySlot = m.get(key);
		if (!bySlot) m.set(key, (bySlot = new Map<number, number[]>()));
		const list = bySlot.get(slot);
		if (list) list.push(i);
		else bySlot.set(slot, [i]);
	};
	all.forEach(({ caseIdx, s, at }, i) => {
		segs.start[i] = s.start;
		segs.end[i] = s.end;
		segs.lat[i] = s.lat;
		segs.lon[i] = s.lon;
		segs.accuracyM[i] = s.accuracyM;
		segs.caseIdx[i] = caseIdx;
		segs.pointId[i] = s.id;
		const slot = Math.floor(s.start / slotS);
		if (s.accuracyM > refine.maxAccuracyM) {
			segs.coarse[i] = 1;
			if (s.cell !== undefined) {
				addTo(cellBuckets, s.cell, slot, i);
				segs.site[i] = siteOf.get(s.cell) ?? -1;
			}
		} else {
			for (const c of cellsServing(cells, s.lat, s.lon, s.accuracyM, refine.toleranceFactor)) addTo(cellBuckets, c, slot, i);
		}
		// the grid method reads the reported position
		const cell = cellKey(at.lat, at.lon, cellSizeM);
		const d = bySlot.get(slot);
		if (d) d.push(i);
		else bySlot.set(slot, [i]);
		let bySlotInCell = gridBuckets.get(cell);
		if (!bySlotInCell) gridBuckets.set(cell, (bySlotInCell = new Map<number, number[]>()));
		const g = bySlotInCell.get(slot);
		if (g) g.push(i);
		else bySlotInCell.set(slot, [i]);
	});
	const slotBuckets = new Map<number, SlotBucket>();
	const treeOf = (list: readonly number[], at: (i: number) => readonly [number, number]): SlotTree | null => {
		if (list.length === 0) return null;
		const tree = new KDBush(list.length, 64, Float64Array);
		let maxAccuracyM = 0;
		for (const i of list) {
			const [lon, lat] = at(i);
			tree.add(lon, lat);
			if (segs.accuracyM[i]! > maxAccuracyM) maxAccuracyM = segs.accuracyM[i]!;
		}
		tree.finish();
		return { tree, seg: Int32Array.from(list), maxAccuracyM };
	};
	for (const [slot, list] of bySlot) {
		const fine = list.filter((i) => segs.coarse[i] === 0);
		const sited = list.filter((i) => segs.site[i]! >= 0);
		slotBuckets.set(slot, {
			fine: treeOf(fine, (i) => [segs.lon[i]!, segs.lat[i]!]),
			sites: treeOf(sited, (i) => {
				const c = cells.cells[segs.site[i]!]!;
				return [c.lon, c.lat];
			})
		});
	}
	return { caseRefs, segs, slotBuckets, gridBuckets, cellBuckets };
}

function indexVenues(world: WorldFacts, caseRefs: string[], windows: ReadonlyMap<string, TimeWindow>) {
	const refIdx = new Map(caseRefs.map((r, i) => [r, i]));
	const raw = new Map<string, { at: number; caseIdx: number; id: string }[]>();
	for (const c of listOf(world.caseVisits)) {
		if (!c || typeof c.ref !== 'string') continue;
		let idx = refIdx.get(c.ref);
		if (idx === undefined) {
			idx = caseRefs.length;
			caseRefs.push(c.ref);
			refIdx.set(c.ref, idx);
		}
		const w = windows.get(c.ref);
		for (const v of listOf(c.visits)) {
			if (!v || typeof v.venueId !== 'string' || !Number.isFinite(v.at)) continue;
			if (w && !(v.at >= w.from && v.at < w.until)) continue;
			const list = raw.get(v.venueId);
			const item = { at: v.at, caseIdx: idx, id: String(v.id) };
			if (list) list.push(item);
			else raw.set(v.venueId, [item]);
		}
	}
	const venues = new Map<string, { at: Float64Array; caseIdx: Int32Array; visitId: string[] }>();
	for (const [venue, list] of raw) {
		list.sort((a, b) => a.at - b.at || a.caseIdx - b.caseIdx);
		venues.set(venue, {
			at: Float64Array.from(list, (x) => x.at),
			caseIdx: Int32Array.from(list, (x) => x.caseIdx),
			visitId: list.map((x) => x.id)
		});
	}
	return venues;
}

function indexScans(world: WorldFacts, caseRefs: readonly string[], stayS: number, windows: ReadonlyMap<string, TimeWindow>) {
	const caseScans = new Map<number, ScanStay[]>();
	const scanVenues = new Map<string, (ScanStay & { caseIdx: number })[]>();
	if (!(stayS > 0)) return { caseScans, scanVenues };
	const refIdx = new Map(caseRefs.map((r, i) => [r, i]));
	for (const c of listOf(world.caseVisits)) {
		if (!c || typeof c.ref !== 'string') continue;
		const idx = refIdx.get(c.ref)!;
		const stays = scanStays(c.visits, stayS, windows.get(c.ref));
		if (stays.length === 0) continue;
		caseScans.set(
			idx,
			[...(caseScans.get(idx) ?? []), ...stays].sort((a, b) => a.from - b.from)
		);
		for (const st of stays) {
			const list = scanVenues.get(st.venueId);
			if (list) list.push({ ...st, caseIdx: idx });
			else scanVenues.set(st.venueId, [{ ...st, caseIdx: idx }]);
		}
	}
	for (const list of scanVenues.values()) list.sort((a, b) => a.from - b.from || a.caseIdx - b.caseIdx);
	return { caseScans, scanVenues };
}

/** Builds the index for `rules` (its grid size and trajectory gap). Never throws on odd world facts. */
export function buildWorldIndex(world: WorldFacts, rules: RuleSet): WorldIndex {
	const cellSizeM = rules.rules['spatiotemporal-companion'].grid.cellSizeM;
	const maxGapS = rules.trajectory.maxPointGapMinutes * 60;
	const refine = refineOptions(rules);
	const areas = indexAreas(world);
	const slotS = Math.max(MIN_SLOT_S, maxGapS);
	const cells = buildCellIndex(world?.cells);
	// habitual places are imputed on the resident's side only (habitual-places.ts: a wrong place for a case's point
	// would lose everyone near the case then)
	const infectious = infectiousOptions(rules);
	const timelines = world?.cases;
	const cases = indexCaseSegments(
		world,
		cellSizeM,
		maxGapS,
		slotS,
		cells,
		{ ...refine, habitualSpreadM: 0 },
		infectiousWindows(timelines, infectious.companion)
	);
	const venues = indexVenues(world, cases.caseRefs, infectiousWindows(timelines, infectious.venue));
	const scanStayS = scanStayOf(rules);
	const scans = indexScans(world, cases.caseRefs, scanStayS, infectiousWindows(timelines, infectious.companion));
	return { cellSizeM, maxGapS, refine, cells, slotS, ...areas, ...cases, venues, scanStayS, ...scans, infectious };
}

/** The precise method's scan stay in seconds (0: scans not used, also for the grid method, which never reads them). */
export function scanStayOf(rules: RuleSet): number {
	const c = rules.rules['spatiotemporal-companion'];
	return c.method === 'precise' ? (c.precise.scanStayMinutes ?? 0) * 60 : 0;
}

/** The precise method's settings that shape the index. */
export function refineOptions(rules: RuleSet): RefineOptions {
	const p = rules.rules['spatiotemporal-companion'].precise;
	return {
		maxAccuracyM: p.maxAccuracyM,
		refineS: p.refineMinutes * 60,
		toleranceFactor: p.cellToleranceFactor,
		habitualSpreadM: p.habitualSpreadM
	};
}

/** The infectious look-backs the index clips cases with (absent in a hand-built rule set: null, no clipping). */
export function infectiousOptions(rules: RuleSet): WorldIndex['infectious'] {
	return {
		companion: rules.rules['spatiotemporal-companion'].infectiousLookbackDays ?? null,
		venue: rules.rules['venue-co-visit'].infectiousLookbackDays ?? null
	};
}

/** Whether an index serves these rules (same grid size, gap and precise-method cell settings). */
export function indexFits(index: WorldIndex, rules: RuleSet): boolean {
	const r = refineOptions(rules);
	return (
		index.cellSizeM === rules.rules['spatiotemporal-companion'].grid.cellSizeM &&
		index.maxGapS === rules.trajectory.maxPointGapMinutes * 60 &&
		index.refine.maxAccuracyM === r.maxAccuracyM &&
		index.refine.refineS === r.refineS &&
		index.refine.toleranceFactor === r.toleranceFactor &&
		(index.refine.habitualSpreadM ?? 0) === (r.habitualSpreadM ?? 0) &&
		index.infectious.companion === infectiousOptions(rules).companion &&
		index.scanStayS === scanStayOf(rules) &&
		index.infectious.venue === infectiousOptions(rules).venue
	);
}
