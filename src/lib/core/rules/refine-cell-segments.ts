/**
 * Stay-aware refinement of cell-based points (precise companion rule, docs/rules.md). A phone that reports a
 * GPS fix, then only its serving cell, then a fix again has most likely not moved when both fixes lie in that
 * cell: people stay put for long stretches (stay-point detection, Li et al. 2008, "Mining user similarity
 * based on location history"). So a cell-based segment takes the position and accuracy of the nearest fix of
 * the same person (the next one first, else the previous one) when
 * - the fix is at most `refineS` seconds away,
 * - no other place intervenes (every point in between is the same cell), and
 * - the cell is one that could have served the fix (./serving-cells.ts).
 * Otherwise the segment stays cell-based — unless `habitualSpreadM` > 0 and the person has a habitual place in
 * that cell (./habitual-places.ts): then it takes that place. Pure; the input is not modified; order is
 * preserved.
 */
import { habitualPlaces } from './habitual-places.js';
import { cellsServing, type CellIndex } from './serving-cells.js';
import type { Segment } from './trajectory.js';

export interface RefineOptions {
	/** points with an accuracy radius up to this are fixes */
	readonly maxAccuracyM: number;
	readonly refineS: number;
	readonly toleranceFactor: number;
	/** habitual-place imputation (./habitual-places.ts): largest spread of a place in metres; 0 (also absent): off */
	readonly habitualSpreadM?: number;
}

const isFix = (s: Segment, o: RefineOptions) => s.accuracyM <= o.maxAccuracyM;

/** `only`: refine just these indices (the others are copied as they are) — callers skip what cannot matter. */
export function refineCellSegments(segs: readonly Segment[], cells: CellIndex, o: RefineOptions, only?: (i: number) => boolean): Segment[] {
	const out = segs.slice();
	const habitual = (o.habitualSpreadM ?? 0) > 0;
	if (!cells.tree || !(o.refineS > 0 || habitual)) return out;
	const fits = (fix: Segment, cell: string) => cellsServing(cells, fix.lat, fix.lon, fix.accuracyM, o.toleranceFactor).includes(cell);
	// built on first use: most people have no cell point left unrefined near a case
	let places: ReturnType<typeof habitualPlaces> | null = null;
	for (let i = 0; i < segs.length; i++) {
		const s = segs[i]!;
		if (isFix(s, o) || s.cell === undefined || (only && !only(i))) continue;
		const cell = s.cell;
		let use: Segment | undefined;
		for (let j = i + 1; o.refineS > 0 && j < segs.length; j++) {
			const q = segs[j]!;
			if (q.start - s.start > o.refineS) break;
			if (isFix(q, o)) {
				if (fits(q, cell)) use = q;
				break;
			}
			if (q.cell !== cell) break;
		}
		if (!use) {
			for (let j = i - 1; o.refineS > 0 && j >= 0; j--) {
				const q = segs[j]!;
				if (s.start - q.start > o.refineS) break;
				if (isFix(q, o)) {
					if (fits(q, cell)) use = q;
					break;
				}
				if (q.cell !== cell) break;
			}
		}
		if (use) out[i] = { id: s.id, lat: use.lat, lon: use.lon, accuracyM: use.accuracyM, start: s.start, end: s.end };
		else {
			if (habitual) places ??= habitualPlaces(segs, cells, o);
			const place = places?.(cell);
			if (place) out[i] = { id: s.id, lat: place.lat, lon: place.lon, accuracyM: place.accuracyM, start: s.start, end: s.end };
		}
	}
	return out;
}
