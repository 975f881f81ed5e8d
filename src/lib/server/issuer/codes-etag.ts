/**
 * The ETag of GET /api/v1/me/codes, and what keeps it honest.
 *
 * What the endpoint shows for an account (its people, their live codes, their latest declaration status) changes
 * in two ways:
 * 1. A write: codes issued / revoked / superseded, a member added or removed, a declaration submitted, the device
 *    key replaced. Every such write bumps `accounts.codes_version` IN THE SAME TRANSACTION, once — the issuance
 *    pipeline (issuance/issue.ts) and revokeCodes (issuance/revoke.ts) do; other writers call one of the bump
 *    functions of store/codes-version.ts (re-exported below).
 * 2. Time alone: a code drops out of the list when it expires, and a person is topped up with new codes once no
 *    live code is valid beyond the overlap window. `stableUntil` is the first such moment.
 *
 * The ETag is `"<version>.<stableUntil base36>.<mac>"`, the MAC (HMAC-SHA256 with the server key) binding both to
 * the account: an ETag can't be carried over to another account signed in on the same browser, and a client
 * can't stretch stableUntil. A conditional request is answered 304 when the session is a live resident session,
 * its account's codes_version is the one in the ETag, now < stableUntil and the MAC checks — one indexed
 * `sessions ⋈ accounts` lookup (notModified). Anything else takes the full path (my-codes.ts), which recomputes.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db.js';
import { residentAccountOfSession } from '../store/sessions.js';
import { keyedHash } from '../secrets.js';

export { bumpCodesVersion, bumpCodesVersionOfCodes, bumpCodesVersionOfPeople } from '../store/codes-version.js';

export function codesEtag(hmacKey: Uint8Array, accountId: string, version: number, stableUntil: number): string {
	const body = `${version}.${stableUntil.toString(36)}`;
	return `"${body}.${keyedHash(hmacKey, 'codes-etag', `${accountId}.${body}`).slice(0, 22)}"`;
}

/** Parses an ETag made by codesEtag (or null): its version and stableUntil. The MAC is checked by the caller. */
function parseEtag(etag: string): { version: number; stableUntil: number } | null {
	const m = /^"(\d{1,15})\.([0-9a-z]{1,11})\.[A-Za-z0-9_-]{22}"$/.exec(etag);
	if (!m) return null;
	return { version: Number(m[1]), stableUntil: parseInt(m[2]!, 36) };
}

/**
 * The 304 fast path: given the session token and the If-None-Match header, the ETag to answer 304 with, or null
 * (take the full path). One statement. A missing, expired or non-resident session is null, never a 304.
 */
export async function notModified(
	db: Db,
	hmacKey: Uint8Array,
	token: string | undefined,
	ifNoneMatch: string | null,
	nowMs: number
): Promise<string | null> {
	if (!ifNoneMatch || !token || token.length > 100) return null;
	const tag = parseEtag(ifNoneMatch);
	if (!tag || nowMs >= tag.stableUntil) return null;
	const row = await residentAccountOfSession(db, keyedHash(hmacKey, 'session', token), nowMs);
	if (!row || Number(row.codes_version) !== tag.version) return null;
	const expected = codesEtag(hmacKey, row.id, tag.version, tag.stableUntil);
	return expected.length === ifNoneMatch.length && timingSafeEqual(Buffer.from(expected), Buffer.from(ifNoneMatch)) ? expected : null;
}
