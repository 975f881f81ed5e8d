/**
 * Which cells could have served a GPS fix. A phone camps on (roughly) the strongest, usually the nearest, cell
 * (3GPP TS 36.304 §5.2: cell selection by received level); the carrier's cell table gives each cell's antenna
 * position and nominal radius. A fix at distance d₀ from the nearest cell, with accuracy radius a, may have been
 * served by any cell whose distance d satisfies d ≤ d₀ + k·a (the true position may be a metres off, and
 * "nearest" is only a model of "strongest", hence the factor k) and d ≤ radius + a (inside the coverage).
 * This lets the precise companion rule compare a fix with a cell-based point at the resolution of one cell
 * (about 0.3 km² in a city) instead of the cell's whole radius disk (up to several km²).
 */
import KDBush from 'kdbush';
import type { CellSite } from './facts.js';
import { degreeBox, distanceM, isLatLon } from './geo.js';
import { listOf } from './window.js';

export interface CellIndex {
	readonly cells: readonly CellSite[];
	readonly tree: KDBush | null;
	readonly byId: ReadonlyMap<string, CellSite>;
	/** largest radius in the table (bounds the search box) */
	readonly maxRadiusM: number;
}

const usable = (c: CellSite): boolean =>
	c !== null && typeof c === 'object' && typeof c.id === 'string' && isLatLon(c.lat, c.lon) && Number.isFinite(c.radiusM) && c.radiusM > 0;

/** Indexes the cell table; unusable rows are skipped, the first row of a repeated id wins. */
export function buildCellIndex(table: readonly CellSite[] | undefined): CellIndex {
	const seen = new Set<string>();
	const cells: CellSite[] = [];
	for (const c of listOf(table)) {
		if (!usable(c) || seen.has(c.id)) continue;
		seen.add(c.id);
		cells.push(c);
	}
	const byId = new Map(cells.map((c) => [c.id, c]));
	if (cells.length === 0) return { cells, tree: null, byId, maxRadiusM: 0 };
	const tree = new KDBush(cells.length, 64, Float64Array);
	let maxRadiusM = 0;
	for (const c of cells) {
		tree.add(c.lon, c.lat);
		if (c.radiusM > maxRadiusM) maxRadiusM = c.radiusM;
	}
	tree.finish();
	return { cells, tree, byId, maxRadiusM };
}

/**
 * Distance to the nearest cell of the table, if one is within `maxM` (else Infinity): boxes growing from 250 m,
 * so a fix in a dense centre looks at a handful of cells, not every cell within the widest radius.
 */
function nearestCellM(index: CellIndex, lat: number, lon: number, maxM: number): number {
	for (let r = Math.min(250, maxM); ; r = Math.min(2 * r, maxM)) {
		const { dLat, dLon } = degreeBox(lat, r + 1);
		let nearest = Infinity;
		for (const n of index.tree!.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
			const c = index.cells[n]!;
			const d = distanceM(lat, lon, c.lat, c.lon);
			if (d < nearest) nearest = d;
		}
		// a cell outside the box is farther than r: the nearest inside the circle is the nearest of all
		if (nearest <= r || r >= maxM) return nearest <= maxM ? nearest : Infinity;
	}
}

/**
 * Ids of the cells that could have served a fix at (lat, lon) with accuracy radius `accuracyM`; sorted.
 * d₀ is the distance to the nearest cell; a cell farther than maxRadiusM + a serves nothing here, so neither
 * can be the answer's d₀ beyond that.
 */
export function cellsServing(index: CellIndex, lat: number, lon: number, accuracyM: number, toleranceFactor: number): string[] {
	if (!index.tree || !isLatLon(lat, lon) || !(accuracyM >= 0)) return [];
	const reach = index.maxRadiusM + accuracyM;
	const nearest = nearestCellM(index, lat, lon, reach);
	if (nearest === Infinity) return [];
	const limit = nearest + toleranceFactor * accuracyM;
	const { dLat, dLon } = degreeBox(lat, Math.min(limit, reach) + 1);
	const out: string[] = [];
	for (const n of index.tree.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
		const c = index.cells[n]!;
		const d = distanceM(lat, lon, c.lat, c.lon);
		if (d <= limit && d <= c.radiusM + accuracyM) out.push(c.id);
	}
	return out.sort();
}
