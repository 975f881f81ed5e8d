/**
 * The household register (table household_register: who lives where, by keyed ID hash) and the phone registry
 * (table phone_registry: whose phone is whose, by keyed phone hash) as the public-security and carrier sources
 * deliver them. Upserts replace what a source said before; the ...IfAbsent forms seed without overwriting.
 */
import type { Db } from './db.js';
import { inBatches } from './facts-import.js';

export interface RegisterEntry {
	ref: string;
	nameHmac: string;
	region: string;
	household: string | null;
}

export interface PhoneEntry {
	phoneHmac: string;
	ref: string;
}

export async function upsertRegister(db: Db, rows: readonly RegisterEntry[], updatedAt: number): Promise<void> {
	await inBatches(rows, (b) =>
		db
			.insertInto('household_register')
			.values(b.map((x) => ({ id_hmac: x.ref, name_hmac: x.nameHmac, region: x.region, household_id: x.household, updated_at: updatedAt })))
			.onConflict((oc) =>
				oc.column('id_hmac').doUpdateSet((eb) => ({
					name_hmac: eb.ref('excluded.name_hmac'),
					region: eb.ref('excluded.region'),
					household_id: eb.ref('excluded.household_id'),
					updated_at: eb.ref('excluded.updated_at')
				}))
			)
			.execute()
	);
}

export async function upsertPhones(db: Db, rows: readonly PhoneEntry[], updatedAt: number): Promise<void> {
	await inBatches(rows, (b) =>
		db
			.insertInto('phone_registry')
			.values(b.map((x) => ({ phone_hmac: x.phoneHmac, id_hmac: x.ref, updated_at: updatedAt })))
			.onConflict((oc) =>
				oc.column('phone_hmac').doUpdateSet((eb) => ({ id_hmac: eb.ref('excluded.id_hmac'), updated_at: eb.ref('excluded.updated_at') }))
			)
			.execute()
	);
}

/** One register entry unless the person is registered already (idempotent seeding). */
export async function insertRegisterIfAbsent(db: Db, x: RegisterEntry, updatedAt: number): Promise<void> {
	await db
		.insertInto('household_register')
		.values({ id_hmac: x.ref, name_hmac: x.nameHmac, region: x.region, household_id: x.household, updated_at: updatedAt })
		.onConflict((oc) => oc.column('id_hmac').doNothing())
		.execute();
}

/** One phone unless it is registered already (idempotent seeding). */
export async function insertPhoneIfAbsent(db: Db, x: PhoneEntry, updatedAt: number): Promise<void> {
	await db
		.insertInto('phone_registry')
		.values({ phone_hmac: x.phoneHmac, id_hmac: x.ref, updated_at: updatedAt })
		.onConflict((oc) => oc.column('phone_hmac').doNothing())
		.execute();
}
