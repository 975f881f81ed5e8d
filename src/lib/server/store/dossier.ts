/**
 * The reads behind a staff view of one person (appeals, person lookup — server/appeals/): who a keyed hash of an ID
 * number or phone names, their stored colour, their codes of every status. Everything is looked up by keyed hash
 * (the database holds no clear ID number or phone); exact matches only.
 */
import type { Db } from './db.js';
import type { CodesTable, PeopleTable, ResidentColoursTable } from './schema.js';

/** The refs (ID hashes) a phone hash names: the account holder's own person, and the carrier's registration. */
export async function refsOfPhone(db: Db, phoneHmac: string): Promise<string[]> {
	const [own, carrier] = await Promise.all([
		db
			.selectFrom('accounts')
			.innerJoin('people', 'people.account_id', 'accounts.id')
			.select('people.id_hmac')
			.where('accounts.phone_hmac', '=', phoneHmac)
			.where('people.relation', '=', 'self')
			.where('people.removed_at', 'is', null)
			.execute(),
		db.selectFrom('phone_registry').select('id_hmac').where('phone_hmac', '=', phoneHmac).execute()
	]);
	return [...new Set([...own, ...carrier].map((r) => r.id_hmac))];
}

/** Whether the register, the carrier, the colours or the people know this ref at all. */
export async function refKnown(db: Db, ref: string): Promise<boolean> {
	const hit = await Promise.all([
		db.selectFrom('resident_colours').select('ref').where('ref', '=', ref).executeTakeFirst(),
		db.selectFrom('people').select('id').where('id_hmac', '=', ref).executeTakeFirst(),
		db.selectFrom('household_register').select('id_hmac').where('id_hmac', '=', ref).executeTakeFirst()
	]);
	return hit.some((x) => x !== undefined);
}

/** Every people row of this ref (live first, then the self row first). */
export async function peopleRowsOfRef(db: Db, ref: string): Promise<PeopleTable[]> {
	const rows = await db.selectFrom('people').selectAll().where('id_hmac', '=', ref).execute();
	const rank = (p: PeopleTable) => (p.removed_at === null ? 0 : 2) + (p.relation === 'self' ? 0 : 1);
	return rows.sort((a, b) => rank(a) - rank(b));
}

export async function residentColourRow(db: Db, ref: string): Promise<ResidentColoursTable | undefined> {
	return db.selectFrom('resident_colours').selectAll().where('ref', '=', ref).executeTakeFirst();
}

/** The latest codes of these people, of any status, newest first. */
export async function codesOfPeople(
	db: Db,
	personIds: readonly string[],
	limit: number
): Promise<Pick<CodesTable, 'code_id' | 'colour' | 'kind' | 'iat' | 'exp' | 'status' | 'revoked_at'>[]> {
	if (!personIds.length) return [];
	return db
		.selectFrom('codes')
		.select(['code_id', 'colour', 'kind', 'iat', 'exp', 'status', 'revoked_at'])
		.where('person_id', 'in', [...personIds])
		.orderBy('iat', 'desc')
		.limit(limit)
		.execute();
}
