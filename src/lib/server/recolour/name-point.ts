/**
 * A person's own point (a companion reason's place, stored as `lat,lon,accuracyM` to ~100 m) named for them: the
 * venue nearest to a good fix, else the district it lies in, else nothing — never another person's place.
 */
import type { Db } from '../store/db.js';
import { degreeBox, distanceM } from '../../core/rules/geo.js';
import { pointInRing } from '../../core/rules/polygon.js';
import { districtsAround, venuesInBox } from '../store/places-near.js';

/** A fix this good is placed by the venue nearest to it (within NEAR_VENUE_M + its accuracy); a coarser one by its district. */
const NEAR_FIX_M = 300;
const NEAR_VENUE_M = 300;

export type ServedPlace = { kind: 'risk-area' | 'venue' | 'near-venue' | 'district'; name: string };

/** A person's own point named for them: "near <venue>" for a good fix, else the district it lies in, else nothing. */
export async function namePoint(db: Db, id: string): Promise<ServedPlace | undefined> {
	const [lat, lon, acc] = id.split(',').map(Number) as [number, number, number];
	if (![lat, lon, acc].every(Number.isFinite)) return undefined;
	if (acc <= NEAR_FIX_M) {
		const reach = NEAR_VENUE_M + acc;
		const { dLat, dLon } = degreeBox(lat, reach);
		const near = (await venuesInBox(db, { south: lat - dLat, north: lat + dLat, west: lon - dLon, east: lon + dLon }))
			.map((v) => ({ name: v.name, d: distanceM(lat, lon, v.lat, v.lon) }))
			.filter((v) => v.d <= reach)
			.sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1))[0];
		if (near) return { kind: 'near-venue', name: near.name };
	}
	for (const d of await districtsAround(db, lat, lon)) {
		const g = JSON.parse(d.geometry_json) as { type: string; coordinates: unknown };
		const polygons = (g.type === 'MultiPolygon' ? g.coordinates : [g.coordinates]) as [number, number][][][];
		if (polygons.some((rings) => rings[0] !== undefined && pointInRing(lon, lat, rings[0]))) return { kind: 'district', name: d.name_zh };
	}
	return undefined;
}
