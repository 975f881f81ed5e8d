/**
 * The codes table: every signed code with its holder, key, window and status (live, superseded, revoked). Which
 * codes to supersede or revoke is decided by the issuance pipeline (issuance/); these functions only read and
 * write rows.
 */
import type { Db } from './db.js';
import type { CodesTable } from './schema.js';

/** Largest `IN (…)` list per statement. */
const CHUNK = 500;

export type LiveCode = Pick<CodesTable, 'code_id' | 'person_id' | 'credential' | 'colour' | 'reasons_json' | 'kind' | 'iat' | 'exp'>;

/**
 * Every code of a person that a scanner could still accept — live or superseded, any kind (phone, proxy, paper), not
 * yet expired — plus the live ones that have just expired (revoking those too keeps the codes table's status true).
 * What a colour change must revoke, all of it (issuance/issue.ts); otherwise its live ones of the issued kind are
 * superseded. `exp` and `status` tell the caller which is which.
 */
export async function unexpiredCodesOfPerson(
	db: Db,
	personId: string,
	nowMs: number
): Promise<Pick<CodesTable, 'code_id' | 'colour' | 'reasons_json' | 'kind' | 'exp' | 'status'>[]> {
	return db
		.selectFrom('codes')
		.select(['code_id', 'colour', 'reasons_json', 'kind', 'exp', 'status'])
		.where('person_id', '=', personId)
		.where((eb) => eb.or([eb('status', '=', 'live'), eb.and([eb('status', '=', 'superseded'), eb('exp', '>', nowMs)])]))
		.execute();
}

/** Live codes signed by one key (key compromise). */
export async function liveCodesOfKey(db: Db, kid: string): Promise<Pick<CodesTable, 'code_id' | 'person_id'>[]> {
	return db.selectFrom('codes').select(['code_id', 'person_id']).where('kid', '=', kid).where('status', '=', 'live').execute();
}

/** Live phone and proxy codes of an account's people (they are bound to its device key). */
export async function liveDeviceCodesOfAccount(db: Db, accountId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('codes')
		.innerJoin('people', 'people.id', 'codes.person_id')
		.select('codes.code_id')
		.where('people.account_id', '=', accountId)
		.where('codes.status', '=', 'live')
		.where('codes.kind', '!=', 'paper')
		.execute();
	return rows.map((r) => r.code_id);
}

/** Whether the person holds a live non-paper code valid beyond `afterMs` (top-up.ts: then nothing is due). */
export async function hasLiveCodeBeyond(db: Db, personId: string, afterMs: number): Promise<boolean> {
	const row = await db
		.selectFrom('codes')
		.select('code_id')
		.where('person_id', '=', personId)
		.where('status', '=', 'live')
		.where('kind', '!=', 'paper')
		.where('exp', '>', afterMs)
		.executeTakeFirst();
	return row !== undefined;
}

/** Live, unexpired non-paper codes of these people in iat order: one statement for a whole account (GET /me/codes). */
export async function liveCodesOfPeople(db: Db, personIds: readonly string[], nowMs: number): Promise<LiveCode[]> {
	if (!personIds.length) return [];
	return (
		db
			.selectFrom('codes')
			.select(['code_id', 'person_id', 'credential', 'colour', 'reasons_json', 'kind', 'iat', 'exp'])
			.where('person_id', 'in', personIds)
			.where('status', '=', 'live')
			// paper codes are fetched on their own (POST /me/paper-code), never refreshed with the phone's codes
			.where('kind', '!=', 'paper')
			.where('exp', '>', nowMs)
			.orderBy('iat')
			.orderBy('code_id')
			.execute()
	);
}

/** Whether this code belongs to this person (appeals). */
export async function codeOfPerson(db: Db, codeId: string, personId: string): Promise<boolean> {
	const row = await db
		.selectFrom('codes')
		.select('code_id')
		.where('code_id', '=', codeId)
		.where('person_id', '=', personId)
		.executeTakeFirst();
	return row !== undefined;
}

export async function insertCodes(db: Db, rows: readonly CodesTable[]): Promise<void> {
	if (rows.length)
		await db
			.insertInto('codes')
			.values([...rows])
			.execute();
}

/** Marks codes superseded (still verify until exp: same colour) or revoked (also on the status list, status-list.ts). */
export async function setCodesStatus(db: Db, codeIds: readonly string[], status: 'superseded' | 'revoked', nowMs: number): Promise<void> {
	for (let i = 0; i < codeIds.length; i += CHUNK) {
		await db
			.updateTable('codes')
			.set({ status, revoked_at: status === 'revoked' ? nowMs : null })
			.where('code_id', 'in', codeIds.slice(i, i + CHUNK))
			.execute();
	}
}
