/**
 * Which residents new facts may recolour — the point of incremental recolouring: only they are re-evaluated.
 * - facts about a person (tests, cases, orders, contacts, register, phones): that person;
 * - trajectory points: the phone's owner (and, for a phone re-registered to someone else, the old owner);
 * - a new or changed confirmed case: the case, people named as their contacts, and the people whose
 *   trajectories came near the case's (same or neighbouring grid cell, within the companion window) or who
 *   visited the same venues within the co-visit window — only the case's points and visits inside its
 *   infectious window (core infectious-window.ts), the only ones the rules read;
 * - a risk area: everyone with a trajectory point in the area's box (plus AREA_MARGIN_M) during its window.
 * Each of these is an index range scan (trajectory_points (grid, at, lat, lon), venue_visits (venue_id, at),
 * contacts (to_ref)), never a full scan.
 */
import type { Db } from '../store/db.js';
import {
	caseRefsAmong,
	contactsOf,
	ownersOfPhones,
	cellSiteFacts,
	phonesInCellIds,
	phonesInCells as phonesInCellsChunk,
	pointsOfRefs,
	visitorsOf,
	visitsOfRefs
} from '../store/recolour-facts.js';
import type { Affected, StoredRiskArea } from '../store/risk-areas.js';
import { cellsCovering, expandBBox, gridOf, type BBox } from '../geo/grid.js';
import { degreeBox } from '../../core/rules/geo.js';
import { buildCellIndex, cellsServing } from '../../core/rules/serving-cells.js';
import { caseTimeline, infectiousWindow, type TimeWindow } from '../../core/rules/infectious-window.js';
import { infectiousOptions } from '../../core/rules/spatial-index.js';
import { activeRules } from './engine.js';
import { FACTS_LOOKBACK_MS, IN_CHUNK, loadPersonFacts } from './load-facts.js';

/**
 * Margin around an area's box. A point can place a person in an area only when its centre is inside the area
 * (match-risk-areas.ts: the rules may further require its whole accuracy disk inside, or drop vague points —
 * never less than the centre), so the points in the covering cells are a superset of who the rule can colour;
 * the margin only guards float rounding at cell edges.
 */
export const AREA_MARGIN_M = 100;
/** Time slack around windows: a point stands for presence until the next one (rules' maxPointGapMinutes ≤ 6 h). */
export const PRESENCE_SLACK_MS = 6 * 3_600_000;
/** Co-visit window (rules' venue windowMinutes is at most a few hours). */
export const COVISIT_SLACK_MS = 6 * 3_600_000;

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

const HOUR_MS = 3_600_000;

/** One grouped look-up: a box (union of the case points' reach in one storage grid cell and hour), or cell ids in an hour. */
interface BoxQuery {
	box: BBox;
	from: number;
	until: number;
}

function grow(into: Map<string, BoxQuery>, key: string, lat: number, lon: number, reachM: number, from: number, until: number): void {
	const { dLat, dLon } = degreeBox(lat, reachM + 1);
	const b = { west: lon - dLon, east: lon + dLon, south: lat - dLat, north: lat + dLat };
	const q = into.get(key);
	if (!q) into.set(key, { box: b, from, until });
	else {
		q.box = {
			west: Math.min(q.box.west, b.west),
			east: Math.max(q.box.east, b.east),
			south: Math.min(q.box.south, b.south),
			north: Math.max(q.box.north, b.north)
		};
	}
}

/**
 * Who a new case may make a companion or co-visitor of: the people whose points the active rules could match with
 * the case's points inside its infectious window, found by index range scans over that window and the rule's
 * reach — for the precise method a fix's distance test (distanceM + accuracyFactor·(r + maxAccuracyM)), the cells
 * that could have served it (serving-cells.ts; one (cell, at) range scan per cell), and for a cell-based point the
 * fixes its cell could have served (its site's radius + maxAccuracyM); for the grid method the point's grid cell.
 * Time: the point's hour ± the presence gap (a point stands for presence until the next one) ± the refinement
 * window (a cell-based point takes the position of a fix of the same stay up to refineMinutes away, on either
 * side). A superset of who the evaluator can colour; it decides.
 */
async function companionsOf(db: Db, caseRefs: readonly string[], nowMs: number, into: Set<string>): Promise<void> {
	const since = nowMs - FACTS_LOOKBACK_MS;
	const rules = (await activeRules(db)).rules;
	const infectious = infectiousOptions(rules);
	const companion = rules.rules['spatiotemporal-companion'];
	const venue = rules.rules['venue-co-visit'];
	const { distanceM: D, accuracyFactor: k, maxAccuracyM, coarseWeight, cellToleranceFactor, habitualSpreadM } = companion.precise;
	const precise = companion.method === 'precise';
	const gapMs = rules.trajectory.maxPointGapMinutes * 60_000;
	const refineMs = precise ? companion.precise.refineMinutes * 60_000 : 0;
	const slackMs = gapMs + refineMs;
	const cellIndex = buildCellIndex(await cellSiteFacts(db));
	// habitual places move a resident's cell-based point anywhere their fixes in the cell were, at any time: then
	// search as wide as the widest cell, as before
	const habitual = precise && habitualSpreadM > 0;
	const widest = cellIndex.maxRadiusM;
	for (const part of chunks(caseRefs)) {
		// each case's windows, from its own facts (confirmation, positive samples), as the world index computes them
		const timelines = new Map([...(await loadPersonFacts(db, part, nowMs))].map(([ref, f]) => [ref, caseTimeline(f)]));
		const companionWindow = new Map(part.map((r) => [r, windowMs(infectiousWindow(timelines.get(r), infectious.companion))]));
		const venueWindow = new Map(part.map((r) => [r, windowMs(infectiousWindow(timelines.get(r), infectious.venue))]));
		const boxes = new Map<string, BoxQuery>();
		const cellIds = new Map<number, Set<string>>();
		const addCells = (hour: number, ids: readonly string[]) => {
			if (!ids.length) return;
			let set = cellIds.get(hour);
			if (!set) cellIds.set(hour, (set = new Set()));
			for (const id of ids) set.add(id);
		};
		if (companion.active) {
			for (const p of await pointsOfRefs(db, part, since)) {
				if (p.lat === null || p.lon === null) continue;
				// a point before the window stands for presence into it (gap), or positions a stay in it (refinement)
				const w = companionWindow.get(p.ref)!;
				if (!(p.at >= w.from - slackMs && p.at < w.until + refineMs)) continue;
				const hour = Math.floor(p.at / HOUR_MS);
				const from = hour * HOUR_MS - slackMs;
				const until = (hour + 1) * HOUR_MS + slackMs;
				const key = `${gridOf(p.lat, p.lon)}|${hour}`;
				const acc = p.accuracy_m ?? 0;
				if (!precise) {
					grow(boxes, key, p.lat, p.lon, companion.grid.cellSizeM, from, until);
					continue;
				}
				if (habitual) {
					grow(boxes, key, p.lat, p.lon, widest + maxAccuracyM + D + k * (acc + maxAccuracyM), from, until);
					continue;
				}
				if (acc <= maxAccuracyM) {
					// resident fixes within the distance test; resident cell-based points of the cells that could serve it
					grow(boxes, key, p.lat, p.lon, D + k * (acc + maxAccuracyM), from, until);
					if (coarseWeight > 0) addCells(hour, cellsServing(cellIndex, p.lat, p.lon, acc, cellToleranceFactor));
				} else if (coarseWeight > 0 && p.cell !== null) {
					// resident points of the same cell, and resident fixes the cell could have served (within its radius + a fix's)
					addCells(hour, [p.cell]);
					const site = cellIndex.byId.get(p.cell);
					if (site) grow(boxes, `${key}|${p.cell}`, site.lat, site.lon, site.radiusM + maxAccuracyM, from, until);
				}
				// an unrefined cell-based point matches nothing else; a refined one sits at a fix of the case, found above
			}
		}
		const phones = new Set<string>();
		for (const q of boxes.values()) await phonesInCells(db, cellsCovering(q.box), q.from, q.until, phones, q.box);
		for (const [hour, ids] of cellIds) {
			for (const ch of chunks([...ids], 200)) {
				for (const p of await phonesInCellIds(db, ch, hour * HOUR_MS - slackMs, (hour + 1) * HOUR_MS + slackMs)) phones.add(p);
			}
		}
		await ownersOf(db, phones, into);
		if (venue.active) {
			const slack = venue.windowMinutes * 60_000;
			for (const v of await visitsOfRefs(db, part, since)) {
				const w = venueWindow.get(v.ref)!;
				if (!(v.at >= w.from && v.at < w.until)) continue;
				for (const r of await visitorsOf(db, v.venue_id, v.at - slack, v.at + slack)) into.add(r);
			}
		}
		for (const r of await contactsOf(db, part)) into.add(r);
	}
}

/** Every resident the facts may affect. */
export async function affectedResidents(db: Db, a: Affected, nowMs: number): Promise<Set<string>> {
	const refs = new Set(a.refs);
	if (a.phones.size) await ownersOf(db, a.phones, refs);
	if (a.caseRefs.size) await companionsOf(db, [...a.caseRefs], nowMs, refs);
	for (const area of a.riskAreas) for (const r of await residentsInArea(db, area, nowMs)) refs.add(r);
	// new points of a case's phone: their companions too
	if (a.phones.size) {
		const owners = new Set<string>();
		await ownersOf(db, a.phones, owners);
		const cases: string[] = [];
		for (const part of chunks([...owners])) cases.push(...(await caseRefsAmong(db, part)));
		if (cases.length) await companionsOf(db, cases, nowMs, refs);
	}
	return refs;
}
