/**
 * Migration 009: each status-list entry keeps its code's expiry (`status_entries.exp`, ms; NULL when the code is
 * not in the codes table, e.g. an id revoked by hand). A revoked code that has expired fails every scanner on its
 * own, so the signed list leaves it out an hour after its exp (store/status-list.ts) and the retention purge
 * deletes it: the list's size is bounded by the codes still valid, however often people re-declare, turn colour
 * or add and remove members. Existing entries get their code's exp.
 */
import { sql, type Kysely, type Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('status_entries').addColumn('exp', 'bigint').execute();
	await sql`update status_entries set exp = (select c.exp from codes c where c.code_id = status_entries.code_id)`.execute(db);
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('status_entries').dropColumn('exp').execute();
}

export const migration009: Migration = { up, down };
