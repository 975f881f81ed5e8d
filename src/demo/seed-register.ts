import type { Db } from '../lib/server/store/db.js';
import { insertPhoneIfAbsent, insertRegisterIfAbsent, replaceHousehold } from '../lib/server/store/register.js';
import { nameHmac } from '../lib/server/issuer/cross-check.js';
import { idHmac } from '../lib/server/issuer/people.js';
import { keyedHash } from '../lib/server/secrets.js';
import { DEMO_IDENTITIES } from './identities.js';

/**
 * Seeds the household register and phone registry with the demo identities (idempotent). An earlier version
 * used the ID's region prefix as the household, which put strangers of one district in one household: a
 * register entry seeded so is corrected (household-register consent, issuer/member-links.ts, relies on it).
 */
export async function seedDemoRegister(db: Db, key: Uint8Array, nowMs: number): Promise<void> {
	for (const p of DEMO_IDENTITIES) {
		const id = idHmac(key, 'resident', p.idNumber);
		await insertRegisterIfAbsent(db, { ref: id, nameHmac: nameHmac(key, p.name), region: p.region, household: p.household }, nowMs);
		await replaceHousehold(db, id, p.idNumber.slice(0, 6), p.household);
		if (p.phone) await insertPhoneIfAbsent(db, { phoneHmac: keyedHash(key, 'phone', p.phone), ref: id }, nowMs);
	}
}
