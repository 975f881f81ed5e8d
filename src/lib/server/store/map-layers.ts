/**
 * The console map's geometry (migration 023) and what it reads from other tables: district outlines, venue
 * positions with today's scans, the carrier's cell table. Small tables (hundreds to a few thousand rows), read whole.
 */
import type { Db } from './db.js';
import type { MapDistrictsTable } from './schema.js';

export type DistrictRow = MapDistrictsTable;

export async function mapDistricts(db: Db): Promise<DistrictRow[]> {
	return db.selectFrom('map_districts').selectAll().orderBy('code').execute();
}

/** Replaces every district outline with these (an import is the whole region, not a patch). */
export async function replaceDistricts(db: Db, rows: readonly DistrictRow[]): Promise<void> {
	await db.deleteFrom('map_districts').execute();
	for (const r of rows) await db.insertInto('map_districts').values(r).execute();
}

/** Writes these outlines unless the region already has outlines (the seed never overwrites an operator's import). */
export async function insertDistrictsIfNone(db: Db, rows: readonly DistrictRow[]): Promise<boolean> {
	const any = await db.selectFrom('map_districts').select('code').limit(1).executeTakeFirst();
	if (any) return false;
	for (const r of rows) await db.insertInto('map_districts').values(r).execute();
	return true;
}

/** Venue positions ([venue_id, lat, lon, radius_m]), replacing earlier ones. */
export async function upsertVenuePlaces(db: Db, rows: readonly (readonly [string, number, number, number])[]): Promise<void> {
	for (const [venue_id, lat, lon, radius_m] of rows)
		await db
			.insertInto('venue_places')
			.values({ venue_id, lat, lon, radius_m })
			.onConflict((oc) => oc.column('venue_id').doUpdateSet({ lat, lon, radius_m }))
			.execute();
}

export interface PlacedVenue {
	id: string;
	name: string;
	region: string;
	policy_json: string;
	lat: number;
	lon: number;
	radius_m: number;
}

/** Venues with a position (the others cannot be drawn), and how many venues have none. */
export async function placedVenues(db: Db): Promise<{ venues: PlacedVenue[]; unplaced: number }> {
	const venues = await db
		.selectFrom('venues')
		.innerJoin('venue_places', 'venue_places.venue_id', 'venues.id')
		.select([
			'venues.id',
			'venues.name',
			'venues.region',
			'venues.policy_json',
			'venue_places.lat',
			'venue_places.lon',
			'venue_places.radius_m'
		])
		.orderBy('venues.id')
		.execute();
	const all = await db
		.selectFrom('venues')
		.select((eb) => eb.fn.count<number | string | bigint>('id').as('n'))
		.executeTakeFirst();
	return { venues, unplaced: Number(all?.n ?? 0) - venues.length };
}

/** Guard scans per venue with scanned_at in [fromMs, untilMs) (an index range on scanned_at, grouped). */
export async function scansPerVenue(db: Db, fromMs: number, untilMs: number): Promise<Map<string, number>> {
	const rows = await db
		.selectFrom('scan_events')
		.select(['venue_id', (eb) => eb.fn.count<number | string | bigint>('event_id').as('n')])
		.where('scanned_at', '>=', fromMs)
		.where('scanned_at', '<', untilMs)
		.groupBy('venue_id')
		.execute();
	return new Map(rows.map((r) => [r.venue_id, Number(r.n)]));
}

/** The carrier's cell table. */
export async function cellSites(db: Db): Promise<{ cell: string; lat: number; lon: number; radius_m: number }[]> {
	return db.selectFrom('cell_sites').select(['cell', 'lat', 'lon', 'radius_m']).orderBy('cell').execute();
}
