/**
 * Migration 034: the case import's range scans read only indexes (issue 17, "Fast case imports"). The candidate
 * search (recolour/affected.ts) asks, per case segment, which phones had a point in some grid cells' box or in some
 * carrier cells during an hour; at 100 000 residents and 10 cases those scans took 20 s, most of it one table lookup
 * per matching point for its phone_hmac. With phone_hmac at the end of both indexes the scans are covering: the
 * same range, no table lookups. Same names with a suffix; the old ones are dropped (every query on them reads a
 * prefix of the new ones).
 */
import { sql, type Kysely, type Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createIndex('trajectory_points_grid_at_pos_phone')
		.ifNotExists()
		.on('trajectory_points')
		.columns(['grid', 'at', 'lat', 'lon', 'phone_hmac'])
		.execute();
	await db.schema.dropIndex('trajectory_points_grid_at_pos').ifExists().execute();
	await db.schema
		.createIndex('trajectory_points_cell_at_phone')
		.ifNotExists()
		.on('trajectory_points')
		.columns(['cell', 'at', 'phone_hmac'])
		.where(sql.ref('cell'), 'is not', null)
		.execute();
	await db.schema.dropIndex('trajectory_points_cell_at').ifExists().execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createIndex('trajectory_points_grid_at_pos')
		.ifNotExists()
		.on('trajectory_points')
		.columns(['grid', 'at', 'lat', 'lon'])
		.execute();
	await db.schema.dropIndex('trajectory_points_grid_at_pos_phone').ifExists().execute();
	await db.schema
		.createIndex('trajectory_points_cell_at')
		.ifNotExists()
		.on('trajectory_points')
		.columns(['cell', 'at'])
		.where(sql.ref('cell'), 'is not', null)
		.execute();
	await db.schema.dropIndex('trajectory_points_cell_at_phone').ifExists().execute();
}

export const migration034: Migration = { up, down };
