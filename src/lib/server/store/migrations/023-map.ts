/**
 * Migration 023: what the console's map draws (issue 15) that no other table holds.
 * - map_districts: the region's district outlines (GeoJSON geometry, Polygon or MultiPolygon, [lon, lat]), one row
 *   per GB/T 2260 code; the demo seed writes the demo city's, an operator replaces them with real ones
 *   (`tongxing map districts <file.geojson>`).
 * - venue_places: where a venue is (the venues table has no position); a venue without a row is not drawn.
 * - resident_places: the grid cell (geo/grid.ts, 0.01°) of each resident's registered home, the unit of the density
 *   layer — never a point, never a trajectory.
 * - map_density: residents by colour per grid cell (grid −1: residents without a place), the aggregate the density
 *   layer is served from; kept current by every colour write (store/map-density.ts) and rebuilt whole by the seed
 *   and `tongxing map density`.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('map_districts')
		.addColumn('code', 'text', (c) => c.primaryKey())
		.addColumn('name_zh', 'text', (c) => c.notNull())
		.addColumn('name_en', 'text', (c) => c.notNull())
		.addColumn('geometry_json', 'text', (c) => c.notNull())
		.addColumn('bbox_west', 'double precision', (c) => c.notNull())
		.addColumn('bbox_south', 'double precision', (c) => c.notNull())
		.addColumn('bbox_east', 'double precision', (c) => c.notNull())
		.addColumn('bbox_north', 'double precision', (c) => c.notNull())
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('venue_places')
		.addColumn('venue_id', 'text', (c) => c.primaryKey())
		.addColumn('lat', 'double precision', (c) => c.notNull())
		.addColumn('lon', 'double precision', (c) => c.notNull())
		.addColumn('radius_m', 'double precision', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('resident_places')
		.addColumn('ref', 'text', (c) => c.primaryKey())
		.addColumn('grid', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('map_density')
		.addColumn('grid', 'bigint', (c) => c.notNull())
		.addColumn('colour', 'text', (c) => c.notNull())
		.addColumn('residents', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('map_density_pk', ['grid', 'colour'])
		.execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	for (const t of ['map_density', 'resident_places', 'venue_places', 'map_districts']) await db.schema.dropTable(t).execute();
}

export const migration023: Migration = { up, down };
