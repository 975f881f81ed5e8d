/**
 * Naming a point for a resident (recolour/explanation.ts): the venue nearest to it within a reach (venue_places,
 * migration 023; boxed on the index-free table — a region has hundreds to thousands of venues) and the districts
 * whose bounding box holds it (map_districts; the caller tests the outline).
 */
import type { Db } from './db.js';

export async function venuesInBox(
	db: Db,
	box: { south: number; north: number; west: number; east: number }
): Promise<{ name: string; lat: number; lon: number }[]> {
	return db
		.selectFrom('venue_places')
		.innerJoin('venues', 'venues.id', 'venue_places.venue_id')
		.select(['venues.name as name', 'venue_places.lat as lat', 'venue_places.lon as lon'])
		.where('venue_places.lat', '>=', box.south)
		.where('venue_places.lat', '<=', box.north)
		.where('venue_places.lon', '>=', box.west)
		.where('venue_places.lon', '<=', box.east)
		.execute();
}

export async function districtsAround(db: Db, lat: number, lon: number): Promise<{ name_zh: string; geometry_json: string }[]> {
	return db
		.selectFrom('map_districts')
		.select(['name_zh', 'geometry_json'])
		.where('bbox_south', '<=', lat)
		.where('bbox_north', '>=', lat)
		.where('bbox_west', '<=', lon)
		.where('bbox_east', '>=', lon)
		.orderBy('code')
		.execute();
}
