/**
 * The region's status list in the database: every revoked code id with the sequence number that revoked it.
 * Scanners fetch the full list or a delta since the sequence they hold; both are signed on request by the
 * region's active key (node:crypto, ~0.1 ms).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import { signStatusList } from '../../core/status-list.js';
import { signerFor, type KeyStore } from '../keys/keystore.js';
import { STATUS_LIST_MAX_AGE_SECONDS } from '../keys/published.js';
import { DomainError } from '../domain-error.js';
import { bumpCodesVersionOfCodes } from './codes-etag.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Appends code ids to the region's status list as one new sequence number. Call inside the transaction that changes
 * the codes. Also bumps the codes version of the accounts holding them (GET /me/codes ETag, codes-etag.ts).
 */
export async function revokeCodes(db: Db, region: string, codeIds: string[], nowMs: number): Promise<number | null> {
	if (codeIds.length === 0) return null;
	await bumpCodesVersionOfCodes(db, codeIds);
	const current = await db.selectFrom('status_lists').select('seq').where('region', '=', region).executeTakeFirst();
	// The empty list is served as seq 1 (statusListDocument), so the first revocation is seq 2.
	const seq = (current?.seq ?? 1) + 1;
	if (current) await db.updateTable('status_lists').set({ seq, issued_at: nowMs }).where('region', '=', region).execute();
	else await db.insertInto('status_lists').values({ region, seq, issued_at: nowMs }).execute();
	await db
		.insertInto('status_entries')
		.values(codeIds.map((code_id) => ({ region, seq, code_id, revoked_at: nowMs })))
		.onConflict((oc) => oc.columns(['region', 'code_id']).doNothing())
		.execute();
	return seq;
}

export async function statusListDocument(
	db: Kysely<Database>,
	keys: KeyStore,
	region: string,
	nowMs: number,
	since?: number
): Promise<{ bytes: Uint8Array; seq: number }> {
	const nowSec = Math.floor(nowMs / 1000);
	const issuer = keys.activeIssuer(region, nowSec);
	if (!issuer) throw new DomainError('status/unknown-region', { detail: `No issuer for region ${region}` });
	const head = await db.selectFrom('status_lists').select('seq').where('region', '=', region).executeTakeFirst();
	// seq 0 would be "nothing ever revoked"; a signed list needs seq > since ≥ 0, so an empty list is seq 1.
	const seq = Math.max(head?.seq ?? 0, 1);
	const delta = since !== undefined && since > 0 && since < seq;
	let q = db.selectFrom('status_entries').select('code_id').where('region', '=', region);
	if (delta) q = q.where('seq', '>', since);
	const rows = await q.orderBy('seq').orderBy('code_id').execute();
	const bytes = await signStatusList(
		{ region, seq, since: delta ? since : 0, issuedAt: nowSec, maxAge: STATUS_LIST_MAX_AGE_SECONDS, revoked: rows.map((r) => r.code_id) },
		signerFor(issuer)
	);
	return { bytes, seq };
}
