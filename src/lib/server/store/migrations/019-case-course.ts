/**
 * Migration 019: a confirmed case's course as the health authority reports it — symptom onset and isolation
 * (both optional, the `cases` import kind's `onsetAt` / `isolatedAt`). The rules take each case's infectious window
 * from them (src/lib/core/rules/infectious-window.ts): from onset (else the first positive sample, else
 * confirmation) minus the rule's look-back, until isolation or confirmation.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('cases').addColumn('onset_at', 'bigint').execute();
	await db.schema.alterTable('cases').addColumn('isolated_at', 'bigint').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('cases').dropColumn('isolated_at').execute();
	await db.schema.alterTable('cases').dropColumn('onset_at').execute();
}

export const migration019: Migration = { up, down };
