/**
 * people: the residents an account holds codes for (its holder, relation 'self', and family/proxy members),
 * stored as keyed hashes and masked forms, never the full ID number or name.
 */
import { sql } from 'kysely';
import type { Db } from './db.js';
import type { PeopleTable } from './schema.js';

/** Every row of this person, live or removed, under any account (their own, and each relative's that holds them). */
export async function peopleByIdHmac(db: Db, idHmac: string): Promise<PeopleTable[]> {
	return db.selectFrom('people').selectAll().where('id_hmac', '=', idHmac).execute();
}

/** Inserts the person, or replaces the row with this id (a removed person registered again). */
export async function savePerson(db: Db, row: PeopleTable, exists: boolean): Promise<void> {
	if (exists) await db.updateTable('people').set(row).where('id', '=', row.id).execute();
	else await db.insertInto('people').values(row).execute();
}

/** The account holder's own (self) person, unless removed. */
export async function selfPerson(db: Db, accountId: string): Promise<PeopleTable | undefined> {
	return db
		.selectFrom('people')
		.selectAll()
		.where('account_id', '=', accountId)
		.where('relation', '=', 'self')
		.where('removed_at', 'is', null)
		.executeTakeFirst();
}

/** A person of this account (not removed): `personId`, or the holder's self person when absent. */
export async function personOfAccount(db: Db, accountId: string, personId?: string | null): Promise<PeopleTable | undefined> {
	let q = db.selectFrom('people').selectAll().where('account_id', '=', accountId).where('removed_at', 'is', null);
	q = personId ? q.where('id', '=', personId) : q.where('relation', '=', 'self');
	return q.executeTakeFirst();
}

/** A person by id, unless removed. */
export async function livePerson(db: Db, personId: string): Promise<PeopleTable | undefined> {
	return db.selectFrom('people').selectAll().where('id', '=', personId).where('removed_at', 'is', null).executeTakeFirst();
}

/** People (not removed) with these id HMACs (recolouring: the residents with an account). */
export async function livePeopleByIdHmac(db: Db, idHmacs: readonly string[]): Promise<PeopleTable[]> {
	if (!idHmacs.length) return [];
	return db.selectFrom('people').selectAll().where('id_hmac', 'in', idHmacs).where('removed_at', 'is', null).execute();
}

/** The account's proxy members (not removed), oldest first. */
export async function membersOfAccount(db: Db, accountId: string): Promise<PeopleTable[]> {
	return db
		.selectFrom('people')
		.selectAll()
		.where('account_id', '=', accountId)
		.where('relation', '=', 'proxy')
		.where('removed_at', 'is', null)
		.orderBy('created_at')
		.execute();
}

/** One proxy member (not removed) of this account. */
export async function memberOfAccount(db: Db, accountId: string, personId: string): Promise<PeopleTable | undefined> {
	return db
		.selectFrom('people')
		.selectAll()
		.where('id', '=', personId)
		.where('account_id', '=', accountId)
		.where('relation', '=', 'proxy')
		.where('removed_at', 'is', null)
		.executeTakeFirst();
}

/** How many proxy members (not removed) the account has. */
export async function countMembers(db: Db, accountId: string): Promise<number> {
	const row = await db
		.selectFrom('people')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('account_id', '=', accountId)
		.where('relation', '=', 'proxy')
		.where('removed_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function markPersonRemoved(db: Db, personId: string, nowMs: number): Promise<void> {
	await db.updateTable('people').set({ removed_at: nowMs }).where('id', '=', personId).execute();
}

export type PersonWithDeclaration = PeopleTable & { decl_status: string | null; decl_at: number | null };

/**
 * The account's people (not removed; holder first, then by age) each with its latest declaration's status and time.
 * Scalar subqueries on the declarations (person_id, submitted_at) index, written as one SQL text (portable: both
 * engines) rather than built with Kysely's query builder, whose building and compiling of this nested query cost
 * more CPU than the three queries it replaced (GET /me/codes is the hot path).
 */
export async function peopleWithLatestDeclaration(db: Db, accountId: string): Promise<PersonWithDeclaration[]> {
	const { rows } = await sql<PersonWithDeclaration>`
		select p.*,
			(select d.status from declarations d where d.person_id = p.id order by d.submitted_at desc limit 1) as decl_status,
			(select d.submitted_at from declarations d where d.person_id = p.id order by d.submitted_at desc limit 1) as decl_at
		from people p
		where p.account_id = ${accountId} and p.removed_at is null
		order by p.relation desc, p.created_at`.execute(db);
	return rows;
}
