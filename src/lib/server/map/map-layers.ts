/**
 * GET /api/v1/console/map: everything the console map draws, as GeoJSON, built from small tables — district
 * outlines, placed venues with today's guard scans, the carrier's cell table, the risk areas not yet ended, and the
 * density layer read from the map_density aggregate (store/map-density.ts: residents by colour per 0.01° cell,
 * maintained by every colour write) — never a scan of the residents. Its size is bounded by the region's area and
 * venue / cell counts, not its population (bench: BENCH_ONLY=map, docs/benchmarks.md).
 */
import type { IssuerDeps } from '../deps.js';
import { GRID_DEG } from '../geo/grid.js';
import { cellBounds } from '../../core/rules/grid.js';
import { densityRows, NO_PLACE } from '../store/map-density.js';
import { cellSites, placedVenues, scansPerVenue } from '../store/map-layers.js';
import { latestRiskAreas, type RiskShape } from '../store/risk-areas.js';
import type { ColourCounts, Geometry, MapResponse } from '../../core/contract/console-map.js';
import { storedDistricts } from './districts.js';
import { boxRing } from './geometry.js';

const COLUMNS = 100_000;
const DAY_MS = 86_400_000;
/** China Standard Time, UTC+8 all year: "today" for scan counts. */
const LOCAL_OFFSET_MS = 8 * 3_600_000;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The [lon, lat] box of a storage grid cell (geo/grid.ts numbering). */
export function gridCellBox(grid: number): { west: number; south: number; east: number; north: number } {
	const row = Math.floor(grid / COLUMNS);
	const col = grid % COLUMNS;
	const south = r2(row * GRID_DEG - 90);
	const west = r2(col * GRID_DEG - 180);
	return { west, south, east: r2(west + GRID_DEG), north: r2(south + GRID_DEG) };
}

function shapeGeometry(shape: RiskShape): Geometry {
	if (shape.type === 'polygon') {
		const ring = shape.ring.map(([lon, lat]) => [lon, lat] as [number, number]);
		const [a, z] = [ring[0], ring[ring.length - 1]];
		if (a && z && (a[0] !== z[0] || a[1] !== z[1])) ring.push([a[0], a[1]]);
		return { type: 'Polygon', coordinates: [ring] };
	}
	const boxes = shape.cells.map((c) => cellBounds(c)).filter((b) => b !== null);
	return { type: 'MultiPolygon', coordinates: boxes.map((b) => [boxRing(b).map(([x, y]) => [r6(x), r6(y)] as [number, number])]) };
}

const zero = (): ColourCounts => ({ green: 0, yellow: 0, red: 0 });

export async function mapLayers(deps: IssuerDeps): Promise<MapResponse> {
	const now = deps.clock();
	const dayStart = Math.floor((now + LOCAL_OFFSET_MS) / DAY_MS) * DAY_MS - LOCAL_OFFSET_MS;
	const [districts, placed, scans, cells, areas, density] = [
		await storedDistricts(deps),
		await placedVenues(deps.db),
		await scansPerVenue(deps.db, dayStart, dayStart + DAY_MS),
		await cellSites(deps.db),
		await latestRiskAreas(deps.db, 1000),
		await densityRows(deps.db)
	];
	const box = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
	const grow = (lon: number, lat: number) => {
		box.west = Math.min(box.west, lon);
		box.east = Math.max(box.east, lon);
		box.south = Math.min(box.south, lat);
		box.north = Math.max(box.north, lat);
	};
	for (const d of districts) for (const p of d.polygons) for (const [lon, lat] of p[0] ?? []) grow(lon, lat);
	for (const v of placed.venues) grow(v.lon, v.lat);

	const byCell = new Map<number, ColourCounts>();
	const unplaced = zero();
	for (const r of density) {
		if (r.colour !== 'green' && r.colour !== 'yellow' && r.colour !== 'red') continue;
		const counts = r.grid === NO_PLACE ? unplaced : (byCell.get(r.grid) ?? byCell.set(r.grid, zero()).get(r.grid)!);
		counts[r.colour] += r.residents;
	}
	const open = areas.filter((a) => a.until_at === null || a.until_at > now);
	return {
		asOf: new Date(now).toISOString(),
		bbox: Number.isFinite(box.west) ? box : null,
		districts: {
			type: 'FeatureCollection',
			features: districts.map((d) => ({
				type: 'Feature',
				geometry:
					d.polygons.length === 1
						? { type: 'Polygon', coordinates: d.polygons[0]!.map((r) => r.map(([x, y]) => [x, y] as [number, number])) }
						: { type: 'MultiPolygon', coordinates: d.polygons.map((p) => p.map((r) => r.map(([x, y]) => [x, y] as [number, number]))) },
				properties: { code: d.code, nameZh: d.nameZh, nameEn: d.nameEn }
			}))
		},
		venues: {
			type: 'FeatureCollection',
			features: placed.venues.map((v) => ({
				type: 'Feature',
				geometry: { type: 'Point', coordinates: [r6(v.lon), r6(v.lat)] },
				properties: {
					id: v.id,
					name: v.name,
					region: v.region,
					policy: policyOf(v.policy_json),
					radiusM: Math.round(v.radius_m),
					scansToday: scans.get(v.id) ?? 0
				}
			}))
		},
		unplacedVenues: placed.unplaced,
		cells: {
			type: 'FeatureCollection',
			features: cells.map((c) => ({
				type: 'Feature',
				geometry: { type: 'Point', coordinates: [r6(c.lon), r6(c.lat)] },
				properties: { id: c.cell, radiusM: Math.round(c.radius_m) }
			}))
		},
		riskAreas: {
			type: 'FeatureCollection',
			features: open.map((a) => ({
				type: 'Feature',
				geometry: shapeGeometry(JSON.parse(a.shape_json) as RiskShape),
				properties: {
					id: a.id,
					name: a.name,
					level: a.level,
					from: new Date(a.from_at).toISOString(),
					until: a.until_at === null ? null : new Date(a.until_at).toISOString(),
					active: a.from_at <= now
				}
			}))
		},
		density: {
			gridDeg: GRID_DEG,
			cells: {
				type: 'FeatureCollection',
				features: [...byCell]
					.filter(([, c]) => c.green + c.yellow + c.red > 0)
					.sort((a, b) => a[0] - b[0])
					.map(([grid, c]) => ({
						type: 'Feature',
						geometry: { type: 'Polygon', coordinates: [boxRing(gridCellBox(grid))] },
						properties: c
					}))
			},
			unplaced
		}
	};
}

function policyOf(json: string): string {
	try {
		const p = (JSON.parse(json) as { policy?: unknown }).policy;
		return typeof p === 'string' ? p : '';
	} catch {
		return '';
	}
}
