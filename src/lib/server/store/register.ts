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

/** The household a person is registered in (null: unknown or none recorded). */
export async function householdOf(db: Db, idHmac: string): Promise<string | null> {
	const row = await db.selectFrom('household_register').select('household_id').where('id_hmac', '=', idHmac).executeTakeFirst();
	return row?.household_id ?? null;
}

export interface GuardianEntry {
	guardianRef: string;
	wardRef: string;
	relation: string;
}

/** The public-security source's guardian records; a record replaces what the source said before for the pair. */
export async function upsertGuardianships(db: Db, rows: readonly GuardianEntry[], updatedAt: number): Promise<void> {
	await inBatches(rows, (b) =>
		db
			.insertInto('guardianships')
			.values(b.map((x) => ({ guardian_hmac: x.guardianRef, ward_hmac: x.wardRef, relation: x.relation, updated_at: updatedAt })))
			.onConflict((oc) =>
				oc.columns(['guardian_hmac', 'ward_hmac']).doUpdateSet((eb) => ({
					relation: eb.ref('excluded.relation'),
					updated_at: eb.ref('excluded.updated_at')
				}))
			)
			.execute()
	);
}

/** Whether the register records `guardian` as the guardian of `ward`. */
export async function isGuardianOf(db: Db, guardianRef: string, wardRef: string): Promise<boolean> {
	const row = await db
		.selectFrom('guardianships')
		.select('relation')
		.where('guardian_hmac', '=', guardianRef)
		.where('ward_hmac', '=', wardRef)
		.executeTakeFirst();
	return row !== undefined;
}

/** Sets a person's household where it still is `was` (the demo seed corrects what an earlier seed wrote). */
export async function replaceHousehold(db: Db, ref: string, was: string, household: string): Promise<void> {
	await db
		.updateTable('household_register')
		.set({ household_id: household })
		.where('id_hmac', '=', ref)
		.where('household_id', '=', was)
		.execute();
}
