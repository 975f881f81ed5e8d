/**
 * After `tongxing keys compromise KID`: every live code that key signed is revoked (status list) and its
 * holder gets fresh codes from the new key, so residents keep a working code without doing anything.
 */
import type { IssuerDeps } from './deps.js';
import { selfPerson } from './people.js';
import { revokeCodes } from './status.js';
import { topUp } from './top-up.js';

export async function reissueCodesOfKey(deps: IssuerDeps, kid: string): Promise<{ revoked: number; people: number }> {
	const now = deps.clock();
	const live = await deps.db
		.selectFrom('codes')
		.select(['code_id', 'person_id'])
		.where('kid', '=', kid)
		.where('status', '=', 'live')
		.execute();
	if (!live.length) return { revoked: 0, people: 0 };
	const ids = live.map((c) => c.code_id);
	await deps.db.transaction().execute(async (tx) => {
		for (let i = 0; i < ids.length; i += 500) {
			const chunk = ids.slice(i, i + 500);
			await tx.updateTable('codes').set({ status: 'revoked', revoked_at: now }).where('code_id', 'in', chunk).execute();
		}
		await revokeCodes(tx, deps.config.region, ids, now);
	});
	const personIds = [...new Set(live.map((c) => c.person_id))];
	for (const id of personIds) {
		const person = await deps.db.selectFrom('people').selectAll().where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
		if (!person) continue;
		const account = await deps.db.selectFrom('accounts').select('device_key').where('id', '=', person.account_id).executeTakeFirstOrThrow();
		const self = person.relation === 'proxy' ? await selfPerson(deps.db, person.account_id) : undefined;
		await topUp(deps, person, { deviceKey: account.device_key, ...(self ? { proxyName: self.name_masked } : {}) }, true);
	}
	return { revoked: ids.length, people: personIds.length };
}
