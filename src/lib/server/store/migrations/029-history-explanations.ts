/**
 * Migration 029: colour_events.explain_json — each recorded decision keeps its explanation (the reasons' dates and
 * place ids, recolour/explanation.ts), so the resident's history shows the specifics of past colours too, not only
 * of the current one (issue 16: "reasons without specifics give nothing to check or appeal"). Rows from before stay
 * NULL (their history shows the reasons without specifics). The table stays append-only: adding a column is the
 * owner's DDL, not an UPDATE.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('colour_events').addColumn('explain_json', 'text').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('colour_events').dropColumn('explain_json').execute();
}

export const migration029: Migration = { up, down };
