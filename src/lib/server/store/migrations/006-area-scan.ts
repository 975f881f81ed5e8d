/**
 * Migration 006: recolouring after a new risk area at a million residents (issue 4, bench/recolour.ts).
 * - trajectory_points (grid, at) becomes (grid, at, lat, lon): the range scan per grid cell drops the points
 *   outside the area's box from the index alone, and only those inside cost a table lookup (for the phone).
 *   A ~1.1 km cell is several times an area's size; at 125 M points the lookups of every point in the covering
 *   cells dominated. Both engines use the extra columns as index filters (SQLite defers the table seek;
 *   PostgreSQL evaluates them as index conditions). Its (grid, at) prefix still serves the companion scans.
 * - trajectory_points (phone_hmac, at) becomes (phone_hmac, at, lat, lon, accuracy_m, cell): covering for
 *   load-facts.ts (the row id is in every SQLite index entry), so loading a resident's ~125 points reads one
 *   index range instead of seeking the table once per point — measured 4.1 ms per resident before (100 000
 *   residents, shared machine), the bulk of a recolour's time.
 * Costs: about 25 more bytes per point in each index (plus the cell id, a few bytes, on cell-based points).
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	const s = db.schema;
	await s.dropIndex('trajectory_points_grid_at').ifExists().execute();
	await s.createIndex('trajectory_points_grid_at_pos').on('trajectory_points').columns(['grid', 'at', 'lat', 'lon']).execute();
	await s.dropIndex('trajectory_points_phone_at').ifExists().execute();
	await s
		.createIndex('trajectory_points_phone_at_pos')
		.on('trajectory_points')
		.columns(['phone_hmac', 'at', 'lat', 'lon', 'accuracy_m', 'cell'])
		.execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	const s = db.schema;
	await s.dropIndex('trajectory_points_phone_at_pos').execute();
	await s.createIndex('trajectory_points_phone_at').on('trajectory_points').columns(['phone_hmac', 'at']).execute();
	await s.dropIndex('trajectory_points_grid_at_pos').execute();
	await s.createIndex('trajectory_points_grid_at').on('trajectory_points').columns(['grid', 'at']).execute();
}

export const migration006: Migration = { up, down };
