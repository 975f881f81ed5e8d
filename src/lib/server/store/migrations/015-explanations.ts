/**
 * Migration 015: why each resident has their colour, and the way back to green.
 *
 * resident_colours.explain_json (text, nullable): the evaluator's path to green and one event per reason (date,
 * place id) as recolour/explanation.ts stores it; NULL for green. The resident app shows it beside the code
 * (GET /api/v1/me/codes), never inside the signed code. Rows written before this migration have none: the
 * non-green ones are made due for review at once (review_at = 0), so the next review run re-evaluates them and
 * stores their explanation (recolour.ts writes it when it moved, like the review time).
 *
 * appeals.reason (text, nullable): the reason code (core/colour-reasons.ts) the appeal contests, when the
 * resident picked one (the app pre-selects the reason they came from).
 */
import { sql, type Kysely, type Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('resident_colours').addColumn('explain_json', 'text').execute();
	await sql`update resident_colours set review_at = 0 where colour <> 'green'`.execute(db);
	await db.schema.alterTable('appeals').addColumn('reason', 'text').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('appeals').dropColumn('reason').execute();
	await db.schema.alterTable('resident_colours').dropColumn('explain_json').execute();
}

export const migration015: Migration = { up, down };
