/**
 * Migration 019: a confirmed case's course as the health authority reports it — symptom onset and isolation
 * (both optional, the `cases` import kind's `onsetAt` / `isolatedAt`). The rules take each case's infectious window
 * from them (src/lib/core/rules/infectious-window.ts): from onset (else the first positive sample, else
 * confirmation) minus the rule's look-back, until isolation or confirmation.
 *
 * And trajectory_points (cell, at) for cell-based points: a new case's candidate search (recolour/affected.ts)
 * finds who was in the cells that could have served the case's fixes, in its infectious window, by one range
 * scan per cell instead of a box as wide as the widest cell around every point of the case.
 */
import { sql, type Kysely, type Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('cases').addColumn('onset_at', 'bigint').execute();
	await db.schema.alterTable('cases').addColumn('isolated_at', 'bigint').execute();
	await db.schema
		.createIndex('trajectory_points_cell_at')
		.ifNotExists()
		.on('trajectory_points')
		.columns(['cell', 'at'])
		.where(sql.ref('cell'), 'is not', null)
		.execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropIndex('trajectory_points_cell_at').ifExists().execute();
	await db.schema.alterTable('cases').dropColumn('isolated_at').execute();
	await db.schema.alterTable('cases').dropColumn('onset_at').execute();
}

export const migration019: Migration = { up, down };
