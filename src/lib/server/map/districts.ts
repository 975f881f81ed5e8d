/**
 * District outlines: the demo city's (written by the seed) or an operator's GeoJSON file (`tongxing map districts
 * <file>`), which replaces them all. Accepted: a FeatureCollection of Polygon / MultiPolygon features, [lon, lat]
 * WGS-84, each with properties `code` (GB/T 2260, six digits) and a name (`nameZh` / `nameEn`, or `name`) —
 * anything else is refused whole with `map/bad-districts` naming the feature, so a half-imported region never shows.
 */
import type { IssuerDeps } from '../deps.js';
import { DomainError } from '../domain-error.js';
import { transaction } from '../store/db.js';
import { mapDistricts, replaceDistricts, type DistrictRow } from '../store/map-layers.js';
import type { Ring } from './geometry.js';

export interface DistrictOutline {
	code: string;
	nameZh: string;
	nameEn: string;
	/** polygons, each outer ring then holes */
	polygons: Ring[][];
}

const MAX_FEATURES = 500;
const MAX_POSITIONS = 200_000;

function bad(detail: string): DomainError {
	return new DomainError('map/bad-districts', { params: { detail }, detail });
}

function ringOf(x: unknown, where: string, count: { n: number }): [number, number][] {
	if (!Array.isArray(x) || x.length < 4) throw bad(`${where}: a ring needs at least 4 positions`);
	return x.map((p, k) => {
		if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number')
			throw bad(`${where}: position ${k} is not [lon, lat]`);
		const [lon, lat] = p as [number, number];
		if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) throw bad(`${where}: position ${k} is outside WGS-84 [lon, lat]`);
		if (++count.n > MAX_POSITIONS) throw bad(`more than ${MAX_POSITIONS} positions`);
		return [lon, lat];
	});
}

/** Parses and checks a GeoJSON FeatureCollection of district outlines. */
export function parseDistrictsGeoJson(doc: unknown): DistrictOutline[] {
	const fc = doc as { type?: unknown; features?: unknown };
	if (typeof doc !== 'object' || doc === null || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features))
		throw bad('not a GeoJSON FeatureCollection');
	if (fc.features.length === 0) throw bad('no features');
	if (fc.features.length > MAX_FEATURES) throw bad(`more than ${MAX_FEATURES} features`);
	const count = { n: 0 };
	const seen = new Set<string>();
	return fc.features.map((f: unknown, i: number) => {
		const where = `feature ${i}`;
		const feat = f as { geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null };
		const props = feat?.properties ?? {};
		const code = typeof props.code === 'string' ? props.code : typeof props.code === 'number' ? String(props.code) : '';
		if (!/^\d{6}$/.test(code)) throw bad(`${where}: properties.code must be a six-digit GB/T 2260 code`);
		if (seen.has(code)) throw bad(`${where}: code ${code} appears twice`);
		seen.add(code);
		const name = (k: string) => {
			const v = props[k];
			return typeof v === 'string' && v.trim() ? v.trim().slice(0, 100) : null;
		};
		const nameZh = name('nameZh') ?? name('name') ?? code;
		const nameEn = name('nameEn') ?? name('name') ?? code;
		const g = feat?.geometry;
		const rings = (x: unknown, w: string) => {
			if (!Array.isArray(x) || x.length === 0) throw bad(`${w}: a polygon needs an outer ring`);
			return x.map((r, k) => ringOf(r, `${w} ring ${k}`, count));
		};
		let polygons: Ring[][];
		if (g?.type === 'Polygon') polygons = [rings(g.coordinates, where)];
		else if (g?.type === 'MultiPolygon' && Array.isArray(g.coordinates) && g.coordinates.length > 0)
			polygons = g.coordinates.map((p, k) => rings(p, `${where} polygon ${k}`));
		else throw bad(`${where}: geometry must be a Polygon or MultiPolygon`);
		return { code, nameZh, nameEn, polygons };
	});
}

/** The stored row of an outline. */
export function districtRow(d: DistrictOutline, source: 'demo' | 'import', nowMs: number): DistrictRow {
	const all = d.polygons.flatMap((p) => p[0] ?? []);
	const geometry =
		d.polygons.length === 1 ? { type: 'Polygon', coordinates: d.polygons[0] } : { type: 'MultiPolygon', coordinates: d.polygons };
	return {
		code: d.code,
		name_zh: d.nameZh,
		name_en: d.nameEn,
		geometry_json: JSON.stringify(geometry),
		bbox_west: Math.min(...all.map((p) => p[0])),
		bbox_south: Math.min(...all.map((p) => p[1])),
		bbox_east: Math.max(...all.map((p) => p[0])),
		bbox_north: Math.max(...all.map((p) => p[1])),
		source,
		updated_at: nowMs
	};
}

/** Replaces the region's outlines with an operator's file (all or nothing). */
export async function importDistricts(deps: IssuerDeps, doc: unknown): Promise<{ districts: number }> {
	const rows = parseDistrictsGeoJson(doc).map((d) => districtRow(d, 'import', deps.clock()));
	await transaction(deps.db, (tx) => replaceDistricts(tx, rows));
	return { districts: rows.length };
}

/** The stored outlines, parsed. */
export async function storedDistricts(deps: Pick<IssuerDeps, 'db'>): Promise<DistrictOutline[]> {
	return (await mapDistricts(deps.db)).map((r) => {
		const g = JSON.parse(r.geometry_json) as { type: string; coordinates: Ring[] | Ring[][] };
		return {
			code: r.code,
			nameZh: r.name_zh,
			nameEn: r.name_en,
			polygons: g.type === 'Polygon' ? [g.coordinates as Ring[]] : (g.coordinates as Ring[][])
		};
	});
}
