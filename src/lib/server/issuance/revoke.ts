/**
 * Revocation, in one place: the codes are marked revoked, their ids appended to the region's status list (what
 * offline scanners learn from) and, unless the caller bumps them itself, the holders' codes versions (GET /me/codes
 * ETag) bumped. Every path that revokes a code calls this, so making revocation more complete is a change here.
 */
import type { Db } from '../store/db.js';
import { setCodesStatus } from '../store/codes.js';
import { appendToStatusList } from '../store/status-list.js';
import { bumpCodesVersionOfCodes } from '../store/codes-version.js';

/**
 * Revokes these codes in the caller's transaction; returns the status list's new sequence number (null: no ids).
 * `bump: false` when the caller bumps the holder's codes version itself (the issuance pipeline: once per change).
 */
export async function revokeCodes(
	db: Db,
	region: string,
	codeIds: readonly string[],
	nowMs: number,
	opts: { bump?: boolean } = {}
): Promise<number | null> {
	if (codeIds.length === 0) return null;
	if (opts.bump ?? true) await bumpCodesVersionOfCodes(db, codeIds);
	await setCodesStatus(db, codeIds, 'revoked', nowMs);
	return appendToStatusList(db, region, codeIds, nowMs);
}
