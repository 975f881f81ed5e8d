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
	phonesInCells as phonesInCellsChunk,
	pointsOfRefs,
	visitorsOf,
	visitsOfRefs,
	widestCellRadius
} from '../store/recolour-facts.js';
import type { Affected, StoredRiskArea } from '../store/risk-areas.js';
import { cellsCovering, expandBBox, gridOf, GRID_DEG, type BBox } from '../geo/grid.js';
import { degreeBox } from '../../core/rules/geo.js';
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

/** A fix's accuracy radius at most (the rules' maxAccuracyM for fixes is 200 m by default). */
const FIX_SLACK_M = 250;

/** The case's infectious window in ms for a rule look-back (the rules' own, core infectious-window.ts). */
function windowMs(w: TimeWindow): { from: number; until: number } {
	return { from: w.from * 1000, until: w.until * 1000 };
}

async function companionsOf(db: Db, caseRefs: readonly string[], nowMs: number, into: Set<string>): Promise<void> {
	const since = nowMs - FACTS_LOOKBACK_MS;
	const infectious = infectiousOptions((await activeRules(db)).rules);
	// The precise rule matches a fix with a cell-based point of another cell up to the cell's radius away
	// (src/lib/core/rules/serving-cells.ts), either way round: search a neighbourhood of the case's points that
	// wide, not just the neighbouring grid cells, so the candidates stay a superset of who it can colour.
	const widest = await widestCellRadius(db);
	const reachM = widest > 0 ? widest + FIX_SLACK_M : 0;
	for (const part of chunks(caseRefs)) {
		// each case's windows, from its own facts (confirmation, positive samples), as the world index computes them
		const timelines = new Map([...(await loadPersonFacts(db, part, nowMs))].map(([ref, f]) => [ref, caseTimeline(f)]));
		const companionWindow = new Map(part.map((r) => [r, windowMs(infectiousWindow(timelines.get(r), infectious.companion))]));
		const venueWindow = new Map(part.map((r) => [r, windowMs(infectiousWindow(timelines.get(r), infectious.venue))]));
		const points = await pointsOfRefs(db, part, since);
		// group by (cell neighbourhood, hour) so a case standing still for hours costs one query per hour, not per point
		const windows = new Map<string, { cells: number[]; from: number; until: number }>();
		for (const p of points) {
			if (p.lat === null || p.lon === null) continue;
			// a point stands for presence until the next one (at most PRESENCE_SLACK_MS): one just before the window counts
			const w = companionWindow.get(p.ref);
			if (w && !(p.at >= w.from - PRESENCE_SLACK_MS && p.at < w.until)) continue;
			const hour = Math.floor(p.at / 3_600_000);
			const key = `${gridOf(p.lat, p.lon)}|${hour}`;
			if (windows.has(key)) continue;
			const { dLat, dLon } = degreeBox(p.lat, reachM);
			const d = GRID_DEG;
			windows.set(key, {
				cells: [
					...new Set(cellsCovering({ west: p.lon - d - dLon, east: p.lon + d + dLon, south: p.lat - d - dLat, north: p.lat + d + dLat }))
				],
				from: hour * 3_600_000 - PRESENCE_SLACK_MS,
				until: (hour + 1) * 3_600_000 + PRESENCE_SLACK_MS
			});
		}
		const phones = new Set<string>();
		for (const w of windows.values()) await phonesInCells(db, w.cells, w.from, w.until, phones);
		await ownersOf(db, phones, into);
		for (const v of await visitsOfRefs(db, part, since)) {
			const w = venueWindow.get(v.ref);
			if (w && !(v.at >= w.from && v.at < w.until)) continue;
			for (const r of await visitorsOf(db, v.venue_id, v.at - COVISIT_SLACK_MS, v.at + COVISIT_SLACK_MS)) into.add(r);
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
