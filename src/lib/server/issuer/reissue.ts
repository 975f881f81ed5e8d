/**
 * After `tongxing keys compromise KID`: every live code that key signed is revoked (status list) and its
 * holder gets fresh codes from the new key, so residents keep a working code without doing anything.
 */
import type { IssuerDeps } from '../deps.js';
import { transaction } from '../store/db.js';
import { liveCodesOfKey } from '../store/codes.js';
import { livePerson, selfPerson } from '../store/people.js';
import { deviceKeyOf } from '../store/accounts.js';
import { revokeCodes } from '../issuance/revoke.js';
import { topUp } from './top-up.js';

export async function reissueCodesOfKey(deps: IssuerDeps, kid: string): Promise<{ revoked: number; people: number }> {
	const now = deps.clock();
	const live = await liveCodesOfKey(deps.db, kid);
	if (!live.length) return { revoked: 0, people: 0 };
	const ids = live.map((c) => c.code_id);
	await transaction(deps.db, (tx) => revokeCodes(tx, deps.config.region, ids, now));
	const personIds = [...new Set(live.map((c) => c.person_id))];
	for (const id of personIds) {
		const person = await livePerson(deps.db, id);
		if (!person) continue;
		const deviceKey = await deviceKeyOf(deps.db, person.account_id);
		const self = person.relation === 'proxy' ? await selfPerson(deps.db, person.account_id) : undefined;
		await topUp(deps, person, { deviceKey, ...(self ? { proxyName: self.name_masked } : {}) }, true);
	}
	return { revoked: ids.length, people: personIds.length };
}
