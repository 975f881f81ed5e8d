/**
 * Migration 003: what the performance work (issue 3) needs.
 * - accounts.codes_version: a counter bumped in the same transaction as every change to what
 *   GET /api/v1/me/codes shows for the account (its people, their codes, their declarations). The endpoint's
 *   ETag carries it, so a conditional refresh is answered from one `sessions ⋈ accounts` lookup
 *   (src/lib/server/issuer/codes-etag.ts).
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.alterTable('accounts')
		.addColumn('codes_version', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('accounts').dropColumn('codes_version').execute();
}

export const migration003: Migration = { up, down };
