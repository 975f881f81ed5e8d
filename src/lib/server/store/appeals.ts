/**
 * appeals: a resident's objection to a colour (for themself or a member, optionally naming the code), with its
 * handling status.
 */
import type { Db } from './db.js';
import type { AppealsTable } from './schema.js';

export async function insertAppeal(db: Db, row: AppealsTable): Promise<void> {
	await db.insertInto('appeals').values(row).execute();
}

/** The appeals of all people of an account, newest first. */
export async function appealsOfAccount(db: Db, accountId: string): Promise<AppealsTable[]> {
	return db
		.selectFrom('appeals')
		.innerJoin('people', 'people.id', 'appeals.person_id')
		.selectAll('appeals')
		.where('people.account_id', '=', accountId)
		.orderBy('appeals.created_at', 'desc')
		.execute();
}
