/**
 * The lookups a declaration's cross-check makes in our own copies of the identity sources (household_register,
 * phone_registry; filled by imports, seeded in demo mode). Writing those tables is the imports' business
 * (register.ts); this file only reads one row at a time.
 */
import type { Db } from './db.js';

/** The registered name's HMAC and region for an ID-number HMAC. */
export async function registeredIdentity(db: Db, idHmac: string): Promise<{ nameHmac: string; region: string } | null> {
	const row = await db.selectFrom('household_register').select(['name_hmac', 'region']).where('id_hmac', '=', idHmac).executeTakeFirst();
	return row ? { nameHmac: row.name_hmac, region: row.region } : null;
}

/** Every ID-number HMAC in the household register (a rules change re-evaluates everyone). */
export async function registeredRefs(db: Db): Promise<string[]> {
	return (await db.selectFrom('household_register').select('id_hmac').execute()).map((r) => r.id_hmac);
}

/** The ID-number HMAC a phone is registered to. */
export async function registeredPhoneOwner(db: Db, phoneHmac: string): Promise<string | null> {
	const row = await db.selectFrom('phone_registry').select('id_hmac').where('phone_hmac', '=', phoneHmac).executeTakeFirst();
	return row?.id_hmac ?? null;
}
