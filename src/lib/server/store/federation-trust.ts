/**
 * The national trust documents (migration 021): certificates, revocations, region key lists and status
 * documents, as the gateway received them or a region mirrored them. Documents are base64url text (one column
 * type on both engines). Checking them is federation/gateway-trust.ts's job; this file only stores and reads.
 */
import type { Db } from './db.js';

export interface StoredDoc {
	doc: string;
}

export async function putCertificate(
	db: Db,
	row: { kid: string; role: 'region' | 'gateway'; region: string | null; notAfter: number; doc: string; at: number }
): Promise<void> {
	await db
		.insertInto('federation_certs')
		.values({ kid: row.kid, role: row.role, region: row.region, not_after: row.notAfter, doc: row.doc, received_at: row.at })
		.onConflict((oc) => oc.column('kid').doUpdateSet({ not_after: row.notAfter, doc: row.doc, received_at: row.at }))
		.execute();
}

export async function allCertificates(db: Db): Promise<{ kid: string; role: string; region: string | null; doc: string }[]> {
	return db.selectFrom('federation_certs').select(['kid', 'role', 'region', 'doc']).orderBy('kid').execute();
}

export async function putRevocations(db: Db, version: number, doc: string, at: number): Promise<void> {
	await db
		.insertInto('federation_revocations')
		.values({ version, doc, received_at: at })
		.onConflict((oc) => oc.column('version').doNothing())
		.execute();
}

export async function allRevocations(db: Db): Promise<StoredDoc[]> {
	return db.selectFrom('federation_revocations').select('doc').orderBy('version').execute();
}

export async function keyListVersion(db: Db, region: string): Promise<number | undefined> {
	return (await db.selectFrom('federation_key_lists').select('version').where('region', '=', region).executeTakeFirst())?.version;
}

/** Stores a newer key list; false when the stored one is as new (a concurrent upload won). */
export async function putKeyList(db: Db, region: string, version: number, doc: string, at: number): Promise<boolean> {
	const current = await keyListVersion(db, region);
	if (current !== undefined && current >= version) return false;
	if (current === undefined) await db.insertInto('federation_key_lists').values({ region, version, doc, received_at: at }).execute();
	else
		await db
			.updateTable('federation_key_lists')
			.set({ version, doc, received_at: at })
			.where('region', '=', region)
			.where('version', '<', version)
			.execute();
	return true;
}

export async function allKeyLists(db: Db): Promise<{ region: string; version: number; doc: string }[]> {
	return db.selectFrom('federation_key_lists').select(['region', 'version', 'doc']).orderBy('region').execute();
}

export interface StatusHead {
	region: string;
	seq: number;
	fullSeq: number;
}

export async function statusHeads(db: Db): Promise<StatusHead[]> {
	const rows = await db.selectFrom('federation_status_heads').select(['region', 'seq', 'full_seq']).orderBy('region').execute();
	return rows.map((r) => ({ region: r.region, seq: r.seq, fullSeq: r.full_seq }));
}

export async function statusHead(db: Db, region: string): Promise<StatusHead | undefined> {
	return (await statusHeads(db)).find((h) => h.region === region);
}

/** Stores a status document and moves the region's head (the caller checked order inside the same transaction). */
export async function putStatusDoc(
	db: Db,
	row: { region: string; since: number; seq: number; doc: string; at: number },
	head: { seq: number; fullSeq: number }
): Promise<void> {
	await db
		.insertInto('federation_status_docs')
		.values({ region: row.region, since: row.since, seq: row.seq, doc: row.doc, received_at: row.at })
		.onConflict((oc) => oc.columns(['region', 'since', 'seq']).doNothing())
		.execute();
	await db
		.insertInto('federation_status_heads')
		.values({ region: row.region, seq: head.seq, full_seq: head.fullSeq })
		.onConflict((oc) => oc.column('region').doUpdateSet({ seq: head.seq, full_seq: head.fullSeq }))
		.execute();
	// Older full lists are never served again (a caller behind gets the newest full list or the deltas after it).
	if (row.since === 0)
		await db
			.deleteFrom('federation_status_docs')
			.where('region', '=', row.region)
			.where('since', '=', 0)
			.where('seq', '<', row.seq)
			.execute();
}

/** A region's newest full list and the deltas at or after `fromSeq` (oldest first). */
export async function statusDocs(db: Db, region: string, fromSeq: number): Promise<{ since: number; seq: number; doc: string }[]> {
	return db
		.selectFrom('federation_status_docs')
		.select(['since', 'seq', 'doc'])
		.where('region', '=', region)
		.where((eb) => eb.or([eb('since', '=', 0), eb('since', '>=', fromSeq)]))
		.orderBy('since')
		.orderBy('seq')
		.execute();
}

/** Deltas that no caller can use any more: those before the newest full list minus `keep` seqs. */
export async function pruneStatusDeltas(db: Db, region: string, beforeSeq: number): Promise<void> {
	await db
		.deleteFrom('federation_status_docs')
		.where('region', '=', region)
		.where('since', '>', 0)
		.where('since', '<', beforeSeq)
		.execute();
}
