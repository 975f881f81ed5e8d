import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { IssuerDeps } from './deps.js';
import { bumpCodesVersion } from './codes-etag.js';
import { revokeCodes } from './status.js';

/** A new device replaces the old one: the old device's live codes are revoked; new ones follow on the next fetch. Call in the transaction that changes accounts.device_key. */
export async function supersedeDeviceCodes(deps: IssuerDeps, tx: Transaction<Database>, accountId: string): Promise<void> {
	// The device key decides whether codes can be topped up at all: the /me/codes ETag must move even with no codes.
	await bumpCodesVersion(tx, accountId);
	const live = await tx
		.selectFrom('codes')
		.innerJoin('people', 'people.id', 'codes.person_id')
		.select('codes.code_id')
		.where('people.account_id', '=', accountId)
		.where('codes.status', '=', 'live')
		.where('codes.kind', '!=', 'paper')
		.execute();
	const ids = live.map((r) => r.code_id);
	if (!ids.length) return;
	const now = deps.clock();
	await tx.updateTable('codes').set({ status: 'revoked', revoked_at: now }).where('code_id', 'in', ids).execute();
	await revokeCodes(tx, deps.config.region, ids, now);
}
