/**
 * Migration 005: when each resident's colour must be looked at again with no new facts.
 *
 * resident_colours.review_at (ms, nullable): the evaluator's `reviewAt` (src/lib/core/rules/evaluate.ts) — the
 * earliest later time at which the same facts can give another colour (a hold or a quarantine order ends, an
 * event ages out of its look-back). NULL: nothing changes by time alone. The review job
 * (src/lib/server/recolour/review-due.ts) range-scans the index for `review_at <= now`; NULLs are never due.
 * Rows written before this migration have NULL: they are reviewed the next time anything recolours them.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('resident_colours').addColumn('review_at', 'bigint').execute();
	await db.schema.createIndex('resident_colours_review_at').on('resident_colours').column('review_at').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropIndex('resident_colours_review_at').execute();
	await db.schema.alterTable('resident_colours').dropColumn('review_at').execute();
}

export const migration005: Migration = { up, down };
