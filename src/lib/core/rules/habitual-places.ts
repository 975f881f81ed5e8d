/**
 * Habitual places (常驻地 / 工作地) per serving cell, learned from a person's own history — the precise companion
 * rule's imputation for cell-based points that have no fix of the same stay (./refine-cell-segments.ts,
 * docs/rules.md). Carriers and researchers find a person's important places from where their phone keeps
 * returning (Ashbrook & Starner 2003, "Using GPS to learn significant locations and predict movement across
 * multiple users"; Isaacman et al. 2011, "Identifying important places in people's lives from cellular
 * network data"). Here: the person's fixes that cell C could have served (./serving-cells.ts) are where the
 * person has been seen while in C. When they all lie within `habitualSpreadM` of their centre and span at
 * least MIN_SPAN_S (seen on more than one day, not one visit), the person's place in C is that centre, with
 * an accuracy radius of the spread plus the fixes' mean radius; a cell-based point of C then stands for
 * "at that place". Anyone seen at two places in C, or only once, keeps the cell. Pure; no clock.
 * Used for the person being evaluated, not for the cases' published points (spatial-index.ts): exposures
 * happen where people meet, often not at anyone's habitual place, and a case's point placed wrongly would
 * lose everyone near the case at that time, while a resident's costs only that resident (measured on the demo
 * city: imputing the cases' points cost 1.7 points of recall, imputing the residents' none; docs/benchmarks.md).
 */
import { distanceM } from './geo.js';
import { cellsServing, type CellIndex } from './serving-cells.js';
import type { Segment } from './trajectory.js';

/** Fixes of one visit do not make a habit: the first and last must be at least this far apart (16 h). */
export const MIN_SPAN_S = 16 * 3600;

export interface HabitualPlace {
	readonly lat: number;
	readonly lon: number;
	readonly accuracyM: number;
}

export interface HabitualOptions {
	/** points with an accuracy radius up to this are fixes; an imputed radius above it is no place */
	readonly maxAccuracyM: number;
	readonly toleranceFactor: number;
	readonly habitualSpreadM?: number;
}

/** A look-up cell id → the person's habitual place in it (null: none), computed on first use per cell. */
export function habitualPlaces(segs: readonly Segment[], cells: CellIndex, o: HabitualOptions): (cell: string) => HabitualPlace | null {
	const cache = new Map<string, HabitualPlace | null>();
	return (cell) => {
		let place = cache.get(cell);
		if (place === undefined) {
			place = placeIn(segs, cells, o, cell);
			cache.set(cell, place);
		}
		return place;
	};
}

function placeIn(segs: readonly Segment[], cells: CellIndex, o: HabitualOptions, cell: string): HabitualPlace | null {
	const site = cells.byId.get(cell);
	const spreadM = o.habitualSpreadM ?? 0;
	if (!site || !(spreadM > 0)) return null;
	const anchors: Segment[] = [];
	for (const q of segs) {
		if (q.accuracyM > o.maxAccuracyM) continue;
		// cheap bound first: a cell serves nothing beyond its radius (+ the fix's accuracy)
		if (distanceM(q.lat, q.lon, site.lat, site.lon) > site.radiusM + q.accuracyM) continue;
		if (cellsServing(cells, q.lat, q.lon, q.accuracyM, o.toleranceFactor).includes(cell)) anchors.push(q);
	}
	if (anchors.length < 2) return null;
	let lat = 0,
		lon = 0,
		acc = 0,
		first = Infinity,
		last = -Infinity;
	for (const q of anchors) {
		lat += q.lat;
		lon += q.lon;
		acc += q.accuracyM;
		if (q.start < first) first = q.start;
		if (q.start > last) last = q.start;
	}
	if (last - first < MIN_SPAN_S) return null;
	lat /= anchors.length;
	lon /= anchors.length;
	let spread = 0;
	for (const q of anchors) spread = Math.max(spread, distanceM(lat, lon, q.lat, q.lon));
	if (spread > spreadM) return null;
	const accuracyM = spread + acc / anchors.length;
	return accuracyM <= o.maxAccuracyM ? { lat, lon, accuracyM } : null;
}
