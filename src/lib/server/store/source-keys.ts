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

/** Every source key (never the key itself): id, source, when created and revoked, and by whom. */
export async function listSourceKeys(
	db: Db
): Promise<{ id: string; source: string; created_at: number; revoked_at: number | null; revoked_by: string | null }[]> {
	return db
		.selectFrom('data_source_keys')
		.select(['id', 'source', 'created_at', 'revoked_at', 'revoked_by'])
		.orderBy('created_at')
		.execute();
}

/** Revokes a source key by id (once: the first revocation's time and actor stay); false when there is no such key. */
export async function revokeSourceKeyById(db: Db, id: string, nowMs: number, actor: string): Promise<boolean> {
	const row = await db.selectFrom('data_source_keys').select('revoked_at').where('id', '=', id).executeTakeFirst();
	if (!row) return false;
	if (row.revoked_at === null)
		await db
			.updateTable('data_source_keys')
			.set({ revoked_at: nowMs, revoked_by: actor })
			.where('id', '=', id)
			.where('revoked_at', 'is', null)
			.execute();
	return true;
}
