/**
 * accounts: one per phone that signed in, with the registered device key (phone codes are bound to it) and the
 * codes version (codes-version.ts).
 */
import type { Db } from './db.js';
import { isUniqueViolation } from './errors.js';

export interface AccountForCodes {
	id: string;
	device_key: string | null;
	codes_version: number;
}

/** The account id for a phone, created with `newId` when there is none (a concurrent creation wins the race). */
export async function findOrCreateAccount(db: Db, phone: string, newId: string, nowMs: number): Promise<string> {
	const existing = await db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirst();
	if (existing) return existing.id;
	try {
		await db.insertInto('accounts').values({ id: newId, phone, created_at: nowMs, device_key: null }).execute();
		return newId;
	} catch (e) {
		// Two sign-ins racing on two instances: the other one created it.
		if (!isUniqueViolation(e)) throw e;
		return (await db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
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
