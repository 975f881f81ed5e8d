import type { Db } from '../lib/server/store/db.js';
import { insertPhoneIfAbsent, insertRegisterIfAbsent } from '../lib/server/store/register.js';
import { nameHmac } from '../lib/server/issuer/cross-check.js';
import { idHmac } from '../lib/server/issuer/people.js';
import { keyedHash } from '../lib/server/secrets.js';
import { DEMO_IDENTITIES } from './identities.js';

/** Seeds the household register and phone registry with the demo identities (idempotent). */
export async function seedDemoRegister(db: Db, key: Uint8Array, nowMs: number): Promise<void> {
	for (const p of DEMO_IDENTITIES) {
		const id = idHmac(key, 'resident', p.idNumber);
		await insertRegisterIfAbsent(
			db,
			{ ref: id, nameHmac: nameHmac(key, p.name), region: p.region, household: p.idNumber.slice(0, 6) },
			nowMs
		);
		if (p.phone) await insertPhoneIfAbsent(db, { phoneHmac: keyedHash(key, 'phone', p.phone), ref: id }, nowMs);
	}
}
