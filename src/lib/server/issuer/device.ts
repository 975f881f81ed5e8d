/**
 * A new device key for an account: the codes bound to the old one stop working.
 */
import type { Db } from '../store/db.js';
import { bumpCodesVersion } from '../store/codes-version.js';
import { liveDeviceCodesOfAccount } from '../store/codes.js';
import { deviceKeyOf, setDeviceKey } from '../store/accounts.js';
import { transaction } from '../store/db.js';
import { revokeCodes } from '../issuance/revoke.js';
import type { IssuerDeps } from '../deps.js';

/** A new device replaces the old one: the old device's live codes are revoked; new ones follow on the next fetch. Call in the transaction that changes accounts.device_key. */
export async function supersedeDeviceCodes(deps: IssuerDeps, tx: Db, accountId: string): Promise<void> {
	// The device key decides whether codes can be topped up at all: the /me/codes ETag must move even with no codes.
	await bumpCodesVersion(tx, accountId);
	const ids = await liveDeviceCodesOfAccount(tx, accountId);
	await revokeCodes(tx, deps.config.region, ids, deps.clock(), { bump: false });
}

/** Registers the account's device key (PUT /me/device): when it changed, in one transaction with supersedeDeviceCodes. */
export async function registerDevice(deps: IssuerDeps, accountId: string, deviceKey: string): Promise<void> {
	await transaction(deps.db, async (tx) => {
		if ((await deviceKeyOf(tx, accountId)) === deviceKey) return;
		await setDeviceKey(tx, accountId, deviceKey);
		// Codes bound to the old device must not keep working on it.
		await supersedeDeviceCodes(deps, tx, accountId);
	});
}
