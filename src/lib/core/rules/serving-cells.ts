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

/** Ids of the cells that could have served a fix at (lat, lon) with accuracy radius `accuracyM`; sorted. */
export function cellsServing(index: CellIndex, lat: number, lon: number, accuracyM: number, toleranceFactor: number): string[] {
	if (!index.tree || !isLatLon(lat, lon) || !(accuracyM >= 0)) return [];
	const reach = index.maxRadiusM + accuracyM;
	const { dLat, dLon } = degreeBox(lat, reach);
	const found = index.tree.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat);
	if (found.length === 0) return [];
	const d = new Float64Array(found.length);
	let nearest = Infinity;
	for (let n = 0; n < found.length; n++) {
		const c = index.cells[found[n]!]!;
		d[n] = distanceM(lat, lon, c.lat, c.lon);
		if (d[n]! < nearest) nearest = d[n]!;
	}
	const limit = nearest + toleranceFactor * accuracyM;
	const out: string[] = [];
	for (let n = 0; n < found.length; n++) {
		const c = index.cells[found[n]!]!;
		if (d[n]! <= limit && d[n]! <= c.radiusM + accuracyM) out.push(c.id);
	}
	return out.sort();
}
