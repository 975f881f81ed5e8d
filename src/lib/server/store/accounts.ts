/**
 * accounts: one per phone that signed in, with the registered device key (phone codes are bound to it) and the
 * codes version (codes-version.ts). The phone is never stored in clear (migration 013): `phone_hmac` finds and
 * keeps accounts unique, `phone_enc` (crypto/phone-seal.ts) is the only way back to the number.
 */
import { sql, SqliteAdapter } from 'kysely';
import type { Db, Store } from './db.js';
import { isUniqueViolation } from './errors.js';

export interface AccountForCodes {
	id: string;
	device_key: string | null;
	codes_version: number;
}

/**
 * The account id for a phone's HMAC, created as `newId` with the phone sealed for that id (`phoneEnc`) when there
 * is none (a concurrent creation wins the race).
 */
export async function findOrCreateAccount(db: Db, phone: { hmac: string; enc: string }, newId: string, nowMs: number): Promise<string> {
	const existing = await db.selectFrom('accounts').select('id').where('phone_hmac', '=', phone.hmac).executeTakeFirst();
	if (existing) return existing.id;
	try {
		await db
			.insertInto('accounts')
			.values({ id: newId, phone_hmac: phone.hmac, phone_enc: phone.enc, created_at: nowMs, device_key: null })
			.execute();
		return newId;
	} catch (e) {
		// Two sign-ins racing on two instances: the other one created it.
		if (!isUniqueViolation(e)) throw e;
		return (await db.selectFrom('accounts').select('id').where('phone_hmac', '=', phone.hmac).executeTakeFirstOrThrow()).id;
	}
}

/** The account's phone HMAC and sealed phone (undefined: no such account). */
export async function accountPhone(db: Db, accountId: string): Promise<{ phone_hmac: string; phone_enc: string | null } | undefined> {
	return db.selectFrom('accounts').select(['phone_hmac', 'phone_enc']).where('id', '=', accountId).executeTakeFirst();
}

/**
 * Converts the rows written before migration 013 (their clear phone still in phone_hmac, phone_enc null) with
 * `seal`, in one transaction; returns how many. Idempotent: converted rows have phone_enc set. On SQLite the
 * connection overwrites freed space with zeros meanwhile (PRAGMA secure_delete), so the old numbers do not
 * linger in free pages of the file.
 */
export async function sealUnsealedAccountPhones(
	db: Store,
	seal: (accountId: string, phone: string) => { hmac: string; enc: string }
): Promise<number> {
	const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
	if (sqlite) await sql`pragma secure_delete = on`.execute(db);
	try {
		return await db.transaction().execute(async (tx) => {
			const rows = await tx.selectFrom('accounts').select(['id', 'phone_hmac']).where('phone_enc', 'is', null).execute();
			for (const r of rows) {
				const p = seal(r.id, r.phone_hmac);
				await tx.updateTable('accounts').set({ phone_hmac: p.hmac, phone_enc: p.enc }).where('id', '=', r.id).execute();
			}
			return rows.length;
		});
	} finally {
		if (sqlite) await sql`pragma secure_delete = off`.execute(db);
	}
}

/** The account's device key (null: none registered, or no such account). */
export async function deviceKeyOf(db: Db, accountId: string): Promise<string | null> {
	return (await db.selectFrom('accounts').select('device_key').where('id', '=', accountId).executeTakeFirst())?.device_key ?? null;
}

export async function setDeviceKey(db: Db, accountId: string, deviceKey: string): Promise<void> {
	await db.updateTable('accounts').set({ device_key: deviceKey }).where('id', '=', accountId).execute();
}

/** What GET /me/codes needs of an account. */
export async function accountForCodes(db: Db, accountId: string): Promise<AccountForCodes> {
	const row = await db
		.selectFrom('accounts')
		.select(['id', 'device_key', 'codes_version'])
		.where('id', '=', accountId)
		.executeTakeFirstOrThrow();
	return { ...row, codes_version: Number(row.codes_version) };
}
