/**
 * Migration 005: when each resident's colour must be looked at again with no new facts.
 *
 * resident_colours.review_at (ms, nullable): the evaluator's `reviewAt` (src/lib/core/rules/evaluate.ts) — the
 * earliest later time at which the same facts can give another colour (a hold or a quarantine order ends, an
 * event ages out of its look-back). NULL: nothing changes by time alone. The review job
 * (src/lib/server/recolour/review-due.ts) range-scans the index for `review_at <= now`; NULLs are never due.
 *
 * Rows written before this migration: the red and yellow ones are due at once (review_at = 0), so the first
 * review run re-evaluates them and stores their real review time — otherwise a colour held before the upgrade
 * would never be looked at again without new facts. Green rows keep NULL: time alone turns a green code
 * non-green only through a quarantine order dated in the future, and those residents get their review time at
 * their next recolour (a full re-evaluation of every green resident is not worth it for that).
 */
import { sql, type Kysely, type Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('resident_colours').addColumn('review_at', 'bigint').execute();
	await db.schema.createIndex('resident_colours_review_at').on('resident_colours').column('review_at').execute();
	await sql`update resident_colours set review_at = 0 where colour <> 'green'`.execute(db);
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropIndex('resident_colours_review_at').execute();
	await db.schema.alterTable('resident_colours').dropColumn('review_at').execute();
}

export const migration005: Migration = { up, down };
