/**
 * declarations: what residents declared (only what the rules need), with the cross-check status (verified or
 * pending while a source is down).
 */
import type { Db } from './db.js';
import type { DeclarationsTable } from './schema.js';

export async function insertDeclaration(db: Db, row: DeclarationsTable): Promise<void> {
	await db.insertInto('declarations').values(row).execute();
}

/** The person's most recent declaration. */
export async function latestDeclaration(db: Db, personId: string): Promise<DeclarationsTable | undefined> {
	return db.selectFrom('declarations').selectAll().where('person_id', '=', personId).orderBy('submitted_at', 'desc').executeTakeFirst();
}
