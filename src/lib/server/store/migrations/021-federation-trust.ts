/**
 * Migration 021: the national trust documents (issue 14, docs/federation.md). On a gateway they are what regions
 * uploaded; on a region they are its mirror of the gateway (so its scanners refresh from their own region server,
 * also while the gateway is down). Every row is a signed document, stored as uploaded (base64url) and checked on
 * the way in (federation/gateway-trust.ts): nothing here is trusted because it is here, scanners check it again.
 *
 * - federation_certs: root-signed region and gateway certificates, by the kid of the key they certify
 * - federation_revocations: root-signed certificate revocations, by version
 * - federation_key_lists: each region's newest issuer-key list (signed by its authority)
 * - federation_status_docs: each region's status lists: full lists (since 0) and the chain of deltas
 * - federation_status_heads: per region, the newest seq held and the seq of the newest full list
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('federation_certs')
		.addColumn('kid', 'text', (c) => c.primaryKey())
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('region', 'text')
		.addColumn('not_after', 'bigint', (c) => c.notNull())
		.addColumn('doc', 'text', (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('federation_revocations')
		.addColumn('version', 'integer', (c) => c.primaryKey())
		.addColumn('doc', 'text', (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('federation_key_lists')
		.addColumn('region', 'text', (c) => c.primaryKey())
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('doc', 'text', (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('federation_status_docs')
		.addColumn('region', 'text', (c) => c.notNull())
		.addColumn('since', 'integer', (c) => c.notNull())
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('doc', 'text', (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('federation_status_docs_pk', ['region', 'since', 'seq'])
		.execute();
	await db.schema
		.createTable('federation_status_heads')
		.addColumn('region', 'text', (c) => c.primaryKey())
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('full_seq', 'integer', (c) => c.notNull())
		.execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	for (const t of [
		'federation_status_heads',
		'federation_status_docs',
		'federation_key_lists',
		'federation_revocations',
		'federation_certs'
	])
		await db.schema.dropTable(t).execute();
}

export const migration021: Migration = { up, down };
