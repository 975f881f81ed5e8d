import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { nameHmac } from '../issuer/cross-check.js';
import { idHmac } from '../issuer/people.js';
import { keyedHash } from '../secrets.js';
import { DEMO_IDENTITIES } from './identities.js';

/** Seeds the household register and phone registry with the demo identities (idempotent). */
export async function seedDemoRegister(db: Kysely<Database>, key: Uint8Array, nowMs: number): Promise<void> {
	for (const p of DEMO_IDENTITIES) {
		const id = idHmac(key, 'resident', p.idNumber);
		await db
			.insertInto('household_register')
			.values({ id_hmac: id, name_hmac: nameHmac(key, p.name), region: p.region, household_id: p.idNumber.slice(0, 6), updated_at: nowMs })
			.onConflict((oc) => oc.column('id_hmac').doNothing())
			.execute();
		if (p.phone) {
			await db
				.insertInto('phone_registry')
				.values({ phone_hmac: keyedHash(key, 'phone', p.phone), id_hmac: id, updated_at: nowMs })
				.onConflict((oc) => oc.column('phone_hmac').doNothing())
				.execute();
		}
	}
}
