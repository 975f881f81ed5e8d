/**
 * Migration 008: the carrier's cell table, as learned from the trajectory points that name their serving cell
 * (`trajectory_points.cell`): one row per cell id with its position and the smallest accuracy radius reported
 * for it (its nominal coverage; a point far from the antenna may report a larger one). The precise
 * spatiotemporal-companion rule reads it to tell which cells could have served a GPS fix
 * (src/lib/core/rules/serving-cells.ts). A few thousand rows for a city: loaded whole per recolour run.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('cell_sites')
		.addColumn('cell', 'text', (c) => c.primaryKey())
		.addColumn('lat', 'double precision', (c) => c.notNull())
		.addColumn('lon', 'double precision', (c) => c.notNull())
		.addColumn('radius_m', 'double precision', (c) => c.notNull())
		.execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('cell_sites').execute();
}

export const migration008: Migration = { up, down };
