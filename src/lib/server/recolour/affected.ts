/**
 * Which residents new facts may recolour — the point of incremental recolouring: only they are re-evaluated.
 * - facts about a person (tests, cases, orders, contacts, register, phones): that person;
 * - trajectory points: the phone's owner (and, for a phone re-registered to someone else, the old owner);
 * - a new or changed confirmed case: the case, people named as their contacts, and the people whose
 *   trajectories came near the case's (same or neighbouring grid cell, within the companion window) or who
 *   visited the same venues within the co-visit window or the precise rule's scan stay — only the case's points and visits inside its
 *   infectious window (core infectious-window.ts), the only ones the rules read;
 * - a risk area: everyone with a trajectory point in the area's box (plus AREA_MARGIN_M) during its window.
 * Each of these is an index range scan (trajectory_points (grid, at, lat, lon), venue_visits (venue_id, at),
 * contacts (to_ref)), never a full scan. A case's companions and co-visitors found so are then screened against
 * the case alone, on the slice of their points around its window (screen-candidates.ts): only those it can
 * recolour have their full facts loaded.
 */
import type { Db } from '../store/db.js';
import {
	caseRefsAmong,
	contactsOf,
	ownersOfPhones,
	cellSiteFacts,
	phoneOwners,
	phoneTimesInCellIds,
	phoneTimesInCells,
	phonesInCells as phonesInCellsChunk,
	pointsOfRefs,
	scannedAt,
	scansOfRefs,
	visitorsOf,
	visitsOfRefs
} from '../store/recolour-facts.js';
import type { Affected, StoredRiskArea } from '../store/risk-areas.js';
import { cellsCovering, expandBBox, gridOf, type BBox } from '../geo/grid.js';
import { degreeBox } from '../../core/rules/geo.js';
import { buildCellIndex, cellsServing } from '../../core/rules/serving-cells.js';
import type { TrajectoryPoint } from '../../core/rules/facts.js';
import { point } from '../../core/rules/packed-facts.js';
import { refineCellSegments } from '../../core/rules/refine-cell-segments.js';
import { segments } from '../../core/rules/trajectory.js';
import { caseTimeline, infectiousWindow, type TimeWindow } from '../../core/rules/infectious-window.js';
import { infectiousOptions, refineOptions, scanStayOf } from '../../core/rules/spatial-index.js';
import { activeRules } from './engine.js';
import { FACTS_LOOKBACK_MS, IN_CHUNK, loadPersonFacts } from './load-facts.js';
import { screenCandidates, type ScreenStats } from './screen-candidates.js';
import type { Evaluated } from './evaluate-batch.js';

/**
 * Margin around an area's box. A point can place a person in an area only when its centre is inside the area
 * (match-risk-areas.ts: the rules may further require its whole accuracy disk inside, or drop vague points —
 * never less than the centre), so the points in the covering cells are a superset of who the rule can colour;
 * the margin only guards float rounding at cell edges.
 */
export const AREA_MARGIN_M = 100;
/** Time slack around windows: a point stands for presence until the next one (rules' maxPointGapMinutes ≤ 6 h). */
export const PRESENCE_SLACK_MS = 6 * 3_600_000;

function chunks<T>(xs: readonly T[], n = IN_CHUNK): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
	return out;
}

async function ownersOf(db: Db, phones: Iterable<string>, into: Set<string>): Promise<void> {
	for (const part of chunks([...phones])) for (const r of await ownersOfPhones(db, part)) into.add(r);
}

/**
 * Phones seen in the given grid cells between from and until (ms). One range scan per cell on
 * (grid, at, lat, lon) (migration 006); with `box`, points outside it are dropped by the index alone, so only
 * points inside cost a table lookup (for the phone).
 */
async function phonesInCells(
	db: Db,
	cells: readonly number[],
	fromMs: number,
	untilMs: number,
	into: Set<string>,
	box?: BBox
): Promise<void> {
	for (const part of chunks(cells, 200)) for (const p of await phonesInCellsChunk(db, part, fromMs, untilMs, box)) into.add(p);
}

export async function residentsInArea(db: Db, area: Pick<StoredRiskArea, 'bbox' | 'from' | 'until'>, nowMs: number): Promise<Set<string>> {
	const from = Math.max(area.from, nowMs - FACTS_LOOKBACK_MS) - PRESENCE_SLACK_MS;
	const until = Math.min(area.until ?? nowMs, nowMs) + 1;
	const phones = new Set<string>();
	// Only points inside the area's box (plus the margin) can make a stay in it: the rule tests the point itself
	// (polygon: its centre in the ring; cells: its cell), both inside the box. Everyone else in the covering
	// cells keeps their colour, so they are not candidates (at 1 M residents that is most of the cells' people).
	const box = expandBBox(area.bbox, AREA_MARGIN_M);
	if (until > from) await phonesInCells(db, cellsCovering(box), from, until, phones, box);
	const refs = new Set<string>();
	await ownersOf(db, phones, refs);
	return refs;
}

/** The case's infectious window in ms for a rule look-back (the rules' own, core infectious-window.ts). */
function windowMs(w: TimeWindow): { from: number; until: number } {
	return { from: w.from * 1000, until: w.until * 1000 };
}

/** The first and last time (ms) the range scans found a phone or a resident. */
interface Span {
	lo: number;
	hi: number;
}

/** Grouped look-ups: per key, a box (union of the reaches of the case segments grouped under it) or cell ids, and a time range. */
interface Query {
	box?: BBox;
	cells?: Set<string>;
	from: number;
	until: number;
}

function addQuery(into: Map<string, Query>, key: string, from: number, until: number, box?: BBox, cells?: readonly string[]): void {
	let q = into.get(key);
	if (!q) into.set(key, (q = { from, until }));
	q.from = Math.min(q.from, from);
	q.until = Math.max(q.until, until);
	if (box)
		q.box = q.box
			? {
					west: Math.min(q.box.west, box.west),
					east: Math.max(q.box.east, box.east),
					south: Math.min(q.box.south, box.south),
					north: Math.max(q.box.north, box.north)
				}
			: box;
	if (cells) for (const c of cells) (q.cells ??= new Set()).add(c);
}

function boxAround(lat: number, lon: number, reachM: number): BBox {
	const { dLat, dLon } = degreeBox(lat, reachM + 1);
	return { west: lon - dLon, east: lon + dLon, south: lat - dLat, north: lat + dLat };
}

/**
 * Who a new case may make a companion or co-visitor of: the people whose points the active rules could match with
 * the case's presence inside its infectious window, found by index range scans over that window and the rule's
 * reach. The case's presence is built as the world index builds it (core trajectory.ts segments, refined with the
 * cell table, clipped to the window); for each segment [start, end):
 * - grid method: points in the segment's grid cell (a box of one cell size around it);
 * - precise method, a fix (or a refined cell point): resident fixes within the distance test's reach
 *   (distanceM + accuracyFactor·(r + maxAccuracyM)), and with coarseWeight > 0 resident cell-based points of the
 *   cells that could have served it (serving-cells.ts; one (cell, at) range scan per cell);
 * - precise method, a cell-based segment left unrefined (coarseWeight > 0): resident points of the same cell, and
 *   resident fixes the cell could have served (its site's radius + maxAccuracyM).
 * Time: a resident point stands for presence until the next (at most the gap): [start − gap, end); a resident's fix
 * may position their cell-based point up to refineMinutes away: box look-ups widen by that on both sides. With
 * habitual places on (they move a resident's cell point to where their fixes in the cell were, at any time), the
 * box is as wide as the widest cell. A superset of who the evaluator can colour; it decides.
 */
async function companionsOf(
	db: Db,
	caseRefs: readonly string[],
	nowMs: number,
	into: Set<string>,
	stats?: ScreenStats,
	evaluated?: Evaluated[],
	newCases?: ReadonlySet<string>,
	only?: ReadonlySet<string>
): Promise<void> {
	const since = nowMs - FACTS_LOOKBACK_MS;
	const rules = (await activeRules(db)).rules;
	const infectious = infectiousOptions(rules);
	const companion = rules.rules['spatiotemporal-companion'];
	const venue = rules.rules['venue-co-visit'];
	const { distanceM: D, accuracyFactor: k, maxAccuracyM, coarseWeight, cellToleranceFactor, habitualSpreadM } = companion.precise;
	const precise = companion.method === 'precise';
	const gapS = rules.trajectory.maxPointGapMinutes * 60;
	const refineS = precise ? companion.precise.refineMinutes * 60 : 0;
	const cellSites = await cellSiteFacts(db);
	const cellIndex = buildCellIndex(cellSites);
	const habitual = precise && habitualSpreadM > 0;
	// the index refines case segments without habitual places (spatial-index.ts buildWorldIndex)
	const refine = { ...refineOptions(rules), habitualSpreadM: 0 };
	for (const part of chunks(caseRefs)) {
		const scansStarted = performance.now();
		// each case's windows, from its own facts (confirmation, positive samples), as the world index computes them
		const caseFacts = await loadPersonFacts(db, part, nowMs);
		const timelines = new Map([...caseFacts].map(([ref, f]) => [ref, caseTimeline(f)]));
		// who the range scans find; screened against these cases before anyone's full facts are loaded (screen-candidates.ts)
		const found = new Set<string>();
		const venueWindow = new Map(part.map((r) => [r, windowMs(infectiousWindow(timelines.get(r), infectious.venue))]));
		const companionWindow = new Map(part.map((r) => [r, windowMs(infectiousWindow(timelines.get(r), infectious.companion))]));
		const queries = new Map<string, Query>();
		if (companion.active) {
			const byRef = new Map<string, TrajectoryPoint[]>();
			for (const p of await pointsOfRefs(db, part, since)) {
				if (p.lat === null || p.lon === null) continue;
				const list = byRef.get(p.ref);
				const pt = point(p.id, p.at, p.lat, p.lon, p.accuracy_m, p.cell);
				if (list) list.push(pt);
				else byRef.set(p.ref, [pt]);
			}
			for (const [ref, points] of byRef) {
				const w = infectiousWindow(timelines.get(ref), infectious.companion);
				const raw = segments(points, gapS);
				const refined = precise ? refineCellSegments(raw, cellIndex, refine) : raw;
				for (let i = 0; i < raw.length; i++) {
					const r = refined[i]!;
					const start = Math.max(r.start, w.from);
					const end = Math.min(r.end, w.until);
					if (!(end > start)) continue;
					const hour = Math.floor(start / 3600);
					const near = { from: (start - gapS) * 1000, until: end * 1000 };
					const wide = { from: (start - gapS - refineS) * 1000, until: (end + refineS) * 1000 };
					const grid = (lat: number, lon: number) => `${gridOf(lat, lon)}|${hour}`;
					if (!precise) {
						// the grid method reads the reported position
						const s = raw[i]!;
						addQuery(queries, `b|${grid(s.lat, s.lon)}`, near.from, near.until, boxAround(s.lat, s.lon, companion.grid.cellSizeM));
					} else if (habitual) {
						const reach = cellIndex.maxRadiusM + maxAccuracyM + D + k * (r.accuracyM + maxAccuracyM);
						addQuery(queries, `b|${grid(r.lat, r.lon)}`, wide.from, wide.until, boxAround(r.lat, r.lon, reach));
					} else if (r.accuracyM <= maxAccuracyM) {
						addQuery(
							queries,
							`b|${grid(r.lat, r.lon)}`,
							wide.from,
							wide.until,
							boxAround(r.lat, r.lon, D + k * (r.accuracyM + maxAccuracyM))
						);
						if (coarseWeight > 0) {
							const cells = cellsServing(cellIndex, r.lat, r.lon, r.accuracyM, cellToleranceFactor);
							if (cells.length) addQuery(queries, `c|${hour}`, near.from, near.until, undefined, cells);
						}
					} else if (coarseWeight > 0 && r.cell !== undefined) {
						addQuery(queries, `c|${hour}`, near.from, near.until, undefined, [r.cell]);
						const site = cellIndex.byId.get(r.cell);
						if (site)
							addQuery(queries, `s|${r.cell}|${hour}`, wide.from, wide.until, boxAround(site.lat, site.lon, site.radiusM + maxAccuracyM));
					}
					// an unrefined cell-based segment with coarseWeight 0 matches nothing
				}
			}
		}
		// per phone, then per resident: the first and last time the scans found them (the screen reads around those)
		const phones = new Map<string, Span>();
		const widen = (into: Map<string, Span>, key: string, lo: number, hi: number) => {
			const t = into.get(key);
			if (t) {
				t.lo = Math.min(t.lo, lo);
				t.hi = Math.max(t.hi, hi);
			} else into.set(key, { lo, hi });
		};
		for (const q of queries.values()) {
			if (q.box)
				for (const ch of chunks(cellsCovering(q.box), 200))
					for (const p of await phoneTimesInCells(db, ch, q.from, q.until, q.box)) widen(phones, p.phone, p.lo, p.hi);
			if (q.cells)
				for (const ch of chunks([...q.cells], 200))
					for (const p of await phoneTimesInCellIds(db, ch, q.from, q.until)) widen(phones, p.phone, p.lo, p.hi);
		}
		const times = new Map<string, Span>();
		for (const part of chunks([...phones.keys()]))
			for (const o of await phoneOwners(db, part)) {
				const t = phones.get(o.phone)!;
				found.add(o.ref);
				widen(times, o.ref, t.lo, t.hi);
			}
		// the precise companion rule's venue evidence: scan stays (core scan-stays.ts) of scanStayMinutes overlap when
		// the entries are less than that apart (a stay starting before the window still overlaps it)
		const scanStayMs = companion.active ? scanStayOf(rules) * 1000 : 0;
		if (venue.active || scanStayMs > 0) {
			const slack = Math.max(venue.active ? venue.windowMinutes * 60_000 : 0, scanStayMs);
			// visits are the imported venue visits and the guards' scans of the person's codes, on either side
			for (const v of [...(await visitsOfRefs(db, part, since)), ...(await scansOfRefs(db, part, since))]) {
				const vw = venueWindow.get(v.ref)!;
				const cw = companionWindow.get(v.ref)!;
				const inVenue = venue.active && v.at >= vw.from && v.at < vw.until;
				const inCompanion = scanStayMs > 0 && v.at + scanStayMs > cw.from && v.at < cw.until;
				if (!inVenue && !inCompanion) continue;
				for (const r of [
					...(await visitorsOf(db, v.venue_id, v.at - slack, v.at + slack)),
					...(await scannedAt(db, v.venue_id, v.at - slack, v.at + slack))
				]) {
					found.add(r);
					widen(times, r, v.at - slack, v.at + slack);
				}
			}
		}
		if (stats) stats.scansMs = (stats.scansMs ?? 0) + performance.now() - scansStarted;
		// a benchmark's oracle search (bench/case-import.ts): the range scans' finds cut to the residents known to change
		if (only) for (const r of found) if (!only.has(r)) found.delete(r);
		// the cases themselves: re-evaluated (their own facts changed), never screened as their own companions
		for (const r of part) {
			found.delete(r);
			into.add(r);
		}
		const screened = await screenCandidates(db, rules, cellSites, [...caseFacts.values()], found, nowMs, stats, {
			sliced: !!evaluated,
			times,
			...(newCases ? { newCases } : {})
		});
		for (const r of screened.keep) into.add(r);
		evaluated?.push(...screened.evaluated);
		for (const r of await contactsOf(db, part)) into.add(r);
	}
}

export interface AffectedPlanOptions {
	/**
	 * Benchmarks only: keep, of the case candidates the range scans find, just these residents — a search that knew
	 * who changes colour (bench/case-import.ts measures what the rest of the import costs then). Never set in the app.
	 */
	only?: ReadonlySet<string>;
}

/** Every resident the facts may affect. `screen`: counts of the case candidates' screen (screen-candidates.ts), for benchmarks. */
export async function affectedResidents(db: Db, a: Affected, nowMs: number, screen?: ScreenStats): Promise<Set<string>> {
	const plan = await affectedPlan(db, a, nowMs, screen);
	for (const r of plan.evaluated) plan.refs.add(r.ref);
	return plan.refs;
}

/**
 * Who the facts may affect, as a recolour run takes them (recolour.ts recolourPlan): `refs` to evaluate in full, and
 * `evaluated`, a case import's companions already evaluated exactly on the slice of their points the screen read
 * (screen-candidates.ts slicedIsExact) — their full facts need not be loaded. The sliced evaluation covers one
 * group of cases: with more cases than one IN_CHUNK, or new points of a case's phone too, everyone is in `refs`.
 */
export async function affectedPlan(
	db: Db,
	a: Affected,
	nowMs: number,
	screen?: ScreenStats,
	opts: AffectedPlanOptions = {}
): Promise<{ refs: Set<string>; evaluated: Evaluated[] }> {
	const refs = new Set(a.refs);
	const sliced: Evaluated[] | undefined = a.phones.size === 0 && a.caseRefs.size <= IN_CHUNK ? [] : undefined;
	if (a.phones.size) await ownersOf(db, a.phones, refs);
	if (a.caseRefs.size) await companionsOf(db, [...a.caseRefs], nowMs, refs, screen, sliced, a.newCaseRefs, opts.only);
	for (const area of a.riskAreas) for (const r of await residentsInArea(db, area, nowMs)) refs.add(r);
	// new points of a case's phone: their companions too
	if (a.phones.size) {
		const owners = new Set<string>();
		await ownersOf(db, a.phones, owners);
		const cases: string[] = [];
		for (const part of chunks([...owners])) cases.push(...(await caseRefsAmong(db, part)));
		if (cases.length) await companionsOf(db, cases, nowMs, refs, screen);
	}
	// anyone also affected otherwise (their own facts, a contact, a risk area) is evaluated in full
	return { refs, evaluated: (sliced ?? []).filter((r) => !refs.has(r.ref)) };
}
