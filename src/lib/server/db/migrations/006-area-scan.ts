/**
 * Migration 006: "who was in this risk area" at a million residents (issue 4, bench/recolour.ts).
 * trajectory_points (grid, at) becomes (grid, at, lat, lon): the range scan per grid cell can then drop the
 * points outside the area's box from the index alone, and only the few inside cost a table lookup (for the
 * phone). A ~1.1 km cell is several times an area's size, and at 125 M points the lookups of every point in
 * the covering cells dominated. Both engines use the extra columns as index filters (SQLite defers the table
 * seek; PostgreSQL evaluates them as index conditions). The index replaces 004's, so (grid, at) scans
 * (companions, affected.ts) still have their prefix.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropIndex('trajectory_points_grid_at').ifExists().execute();
	await db.schema.createIndex('trajectory_points_grid_at_pos').on('trajectory_points').columns(['grid', 'at', 'lat', 'lon']).execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropIndex('trajectory_points_grid_at_pos').execute();
	await db.schema.createIndex('trajectory_points_grid_at').on('trajectory_points').columns(['grid', 'at']).execute();
}

export const migration006: Migration = { up, down };
