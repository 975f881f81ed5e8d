/**
 * The demo city's district outlines, for the console map: buildLayout (layout.ts) splits the 24 km × 16 km city
 * into rows × columns of equal rectangles (two rows, west→east, south row first; with an odd count the last
 * district takes the rest of the north row) and `districtOf` assigns every place by them — these are exactly those
 * rectangles, projected to [lon, lat] around the centre. Deterministic: the same options give the same outlines.
 */
import { DEFAULT_CENTRE, DEFAULT_REGIONS } from './city.js';
import { DISTRICT_NAMES, HALF_H, HALF_W, projection } from './layout.js';

export interface CityDistrict {
	readonly code: string;
	readonly nameZh: string;
	readonly nameEn: string;
	/** closed outer ring, [lon, lat] rounded to 6 decimals, counter-clockwise */
	readonly ring: readonly (readonly [number, number])[];
}

export function cityDistricts(
	options: { readonly centre?: { readonly lat: number; readonly lon: number }; readonly regions?: readonly string[] } = {}
): CityDistrict[] {
	const regions = options.regions ?? DEFAULT_REGIONS;
	const centre = options.centre ?? DEFAULT_CENTRE;
	const proj = projection(centre.lat, centre.lon);
	const rows = regions.length >= 2 ? 2 : 1;
	const cols = Math.ceil(regions.length / rows);
	const w = (2 * HALF_W) / cols;
	const h = (2 * HALF_H) / rows;
	const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
	return regions.map((code, i) => {
		const r = Math.floor(i / cols);
		const c = i % cols;
		// the last district also covers the cells districtOf clamps to it (the rest of its row)
		const c1 = i === regions.length - 1 ? cols : c + 1;
		const [west, east] = [-HALF_W + c * w, -HALF_W + c1 * w].map((x) => r6(proj.toLon(x))) as [number, number];
		const [south, north] = [-HALF_H + r * h, -HALF_H + (r + 1) * h].map((y) => r6(proj.toLat(y))) as [number, number];
		const [nameZh, nameEn] = DISTRICT_NAMES[code] ?? [code, code];
		return {
			code,
			nameZh,
			nameEn,
			ring: [
				[west, south],
				[east, south],
				[east, north],
				[west, north],
				[west, south]
			]
		};
	});
}
