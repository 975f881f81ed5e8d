/**
 * Data-source API keys (table data_source_keys): the rows behind `tongxing source add` and the push API's
 * bearer check. Only the key's keyed hash is stored; hashing and key generation stay in sources/sources.ts.
 */
import type { Db } from './db.js';

export interface SourceKeyRow {
	id: string;
	source: string;
	revoked_at: number | null;
}

export async function insertSourceKey(db: Db, row: { id: string; source: string; keyHmac: string; createdAt: number }): Promise<void> {
	await db
		.insertInto('data_source_keys')
		.values({ id: row.id, source: row.source, key_hmac: row.keyHmac, created_at: row.createdAt, revoked_at: null })
		.execute();
}

/** The key with this hash, revoked or not (the caller decides what a revoked key means). */
export async function sourceKeyByHmac(db: Db, keyHmac: string): Promise<SourceKeyRow | undefined> {
	return db.selectFrom('data_source_keys').select(['id', 'source', 'revoked_at']).where('key_hmac', '=', keyHmac).executeTakeFirst();
}
