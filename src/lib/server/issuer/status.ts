/**
 * The region's status list in the database: every revoked code id with the sequence number that revoked it.
 * Scanners fetch the full list or a delta since the sequence they hold; both are signed on request by the
 * region's active key (node:crypto, ~0.1 ms).
 */
import type { Db } from '../store/db.js';
import { statusListEntries, statusListSeq } from '../store/status-list.js';
import { signStatusList } from '../../core/status-list.js';
import { signerFor, type KeyStore } from '../keys/keystore.js';
import { STATUS_LIST_MAX_AGE_SECONDS } from '../keys/published.js';
import { DomainError } from '../domain-error.js';

/** Revocation lives in the issuance pipeline's folder (marks the codes, appends to the list, bumps versions). */
export { revokeCodes } from '../issuance/revoke.js';

export async function statusListDocument(
	db: Db,
	keys: KeyStore,
	region: string,
	nowMs: number,
	since?: number
): Promise<{ bytes: Uint8Array; seq: number }> {
	const nowSec = Math.floor(nowMs / 1000);
	const issuer = keys.activeIssuer(region, nowSec);
	if (!issuer) throw new DomainError('status/unknown-region', { detail: `No issuer for region ${region}` });
	// seq 0 would be "nothing ever revoked"; a signed list needs seq > since ≥ 0, so an empty list is seq 1.
	const seq = Math.max((await statusListSeq(db, region)) ?? 0, 1);
	const delta = since !== undefined && since > 0 && since < seq;
	const revoked = await statusListEntries(db, region, nowMs, delta ? since : undefined);
	const bytes = await signStatusList(
		{ region, seq, since: delta ? since : 0, issuedAt: nowSec, maxAge: STATUS_LIST_MAX_AGE_SECONDS, revoked },
		signerFor(issuer)
	);
	return { bytes, seq };
}
