/**
 * appeals: a resident's objection to a colour (for themself or a member, optionally naming the code), with its
 * handling status.
 */
import { sql } from 'kysely';
import type { Db } from './db.js';
import type { AppealStatus, AppealsTable } from './schema.js';

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

/** An appeal with the masked identity of its person (the console never sees more). */
export type AppealWithPerson = AppealsTable & { ref: string; name_masked: string; id_masked: string; region: string };

const withPerson = (db: Db) =>
	db
		.selectFrom('appeals')
		.innerJoin('people', 'people.id', 'appeals.person_id')
		.selectAll('appeals')
		.select(['people.id_hmac as ref', 'people.name_masked', 'people.id_masked', 'people.region']);

/**
 * The console's queue: those still to handle (open, in review) first, oldest first; then the handled ones, most
 * recently resolved first. `status`: only that status.
 */
export async function appealQueue(db: Db, status: AppealStatus | null, limit: number): Promise<AppealWithPerson[]> {
	let q = withPerson(db);
	if (status) q = q.where('appeals.status', '=', status);
	return q
		.orderBy(sql`case when appeals.status in ('open', 'in-review') then 0 else 1 end`)
		.orderBy(sql`case when appeals.status in ('open', 'in-review') then appeals.created_at else -appeals.updated_at end`)
		.limit(limit)
		.execute();
}

export async function appealWithPerson(db: Db, id: string): Promise<AppealWithPerson | undefined> {
	return withPerson(db).where('appeals.id', '=', id).executeTakeFirst();
}

/** The appeals about one person (by ref, over every account that holds them), newest first. */
export async function appealsOfRef(db: Db, ref: string): Promise<AppealWithPerson[]> {
	return withPerson(db).where('people.id_hmac', '=', ref).orderBy('appeals.created_at', 'desc').execute();
}

/** Sets the appeal's outcome fields if it is still in one of `from`; false when it was not. */
export async function updateAppealIf(
	db: Db,
	id: string,
	from: readonly AppealStatus[],
	patch: Partial<Pick<AppealsTable, 'status' | 'outcome' | 'proposal_id' | 'resolution' | 'resolved_by' | 'resolved_at' | 'updated_at'>>
): Promise<boolean> {
	const r = await db
		.updateTable('appeals')
		.set(patch)
		.where('id', '=', id)
		.where('status', 'in', [...from])
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

/** Appeals waiting for a proposal that has since been decided (applied, rejected or lapsed), with its status and time. */
export async function appealsWithDecidedProposal(
	db: Db
): Promise<
	(AppealsTable & { proposal_status: string; decided_at: number | null; applied_at: number | null; decided_by: string | null })[]
> {
	return db
		.selectFrom('appeals')
		.innerJoin('proposals', 'proposals.id', 'appeals.proposal_id')
		.selectAll('appeals')
		.select(['proposals.status as proposal_status', 'proposals.decided_at', 'proposals.applied_at', 'proposals.decided_by'])
		.where('appeals.status', '=', 'in-review')
		.where('proposals.status', 'in', ['applied', 'rejected', 'lapsed'])
		.execute();
}
