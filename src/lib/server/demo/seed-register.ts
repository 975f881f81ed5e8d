import type { Db } from '../store/db.js';
import { insertPhoneIfAbsent, insertRegisterIfAbsent } from '../store/register.js';
import { nameHmac } from '../issuer/cross-check.js';
import { idHmac } from '../issuer/people.js';
import { keyedHash } from '../secrets.js';
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
