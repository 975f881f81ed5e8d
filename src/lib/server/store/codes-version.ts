/**
 * accounts.codes_version: the counter behind the GET /api/v1/me/codes ETag (issuer/codes-etag.ts). Bumped in the
 * same transaction as every change to what that endpoint shows; the issuance pipeline (issuance/issue.ts) bumps
 * it once per change, other writers call one of these.
 */
import type { Db } from './db.js';

/** Largest `IN (…)` list per statement (SQLite's and pg's parameter limits are far above). */
const CHUNK = 500;

/** Bumps one account's codes version. Call inside the transaction that changes what /me/codes shows. */
export async function bumpCodesVersion(db: Db, accountId: string): Promise<void> {
	await db
		.updateTable('accounts')
		.set((eb) => ({ codes_version: eb('codes_version', '+', 1) }))
		.where('id', '=', accountId)
		.execute();
}

/** Bumps the codes version of the accounts these people belong to (e.g. after issuing or recolouring their codes). */
export async function bumpCodesVersionOfPeople(db: Db, personIds: readonly string[]): Promise<void> {
	const ids = [...new Set(personIds)];
	for (let i = 0; i < ids.length; i += CHUNK) {
		const chunk = ids.slice(i, i + CHUNK);
		await db
			.updateTable('accounts')
			.set((eb) => ({ codes_version: eb('codes_version', '+', 1) }))
			.where('id', 'in', (eb) => eb.selectFrom('people').select('people.account_id').where('people.id', 'in', chunk))
			.execute();
	}
}

/** Bumps the codes version of the accounts whose people hold these codes (e.g. after revoking them). */
export async function bumpCodesVersionOfCodes(db: Db, codeIds: readonly string[]): Promise<void> {
	for (let i = 0; i < codeIds.length; i += CHUNK) {
		const chunk = codeIds.slice(i, i + CHUNK);
		await db
			.updateTable('accounts')
			.set((eb) => ({ codes_version: eb('codes_version', '+', 1) }))
			.where('id', 'in', (eb) =>
				eb
					.selectFrom('codes')
					.innerJoin('people', 'people.id', 'codes.person_id')
					.select('people.account_id')
					.where('codes.code_id', 'in', chunk)
			)
			.execute();
	}
}

/** The account's current codes version. */
export async function codesVersion(db: Db, accountId: string): Promise<number> {
	const row = await db.selectFrom('accounts').select('codes_version').where('id', '=', accountId).executeTakeFirstOrThrow();
	return Number(row.codes_version);
}
