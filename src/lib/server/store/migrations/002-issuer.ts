/**
 * Migration 002: what the issuer API adds.
 * - accounts.device_key: the resident device's Ed25519 public key (base64url) that phone codes are bound to.
 * - sms_outbox: the demo SMS outbox (demo mode only writes it).
 * - household_register / phone_registry: the public-security and carrier facts the declaration is
 *   cross-checked against (keyed hashes only; the data-sources issue fills them by import, demo mode seeds them).
 */
import type { Kysely, Migration } from 'kysely';

const TIME = 'bigint';

async function up(db: Kysely<unknown>): Promise<void> {
	const s = db.schema;
	await s.alterTable('accounts').addColumn('device_key', 'text').execute();
	await s
		.createTable('sms_outbox')
		.addColumn('phone', 'text', (c) => c.notNull())
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('created_at', TIME, (c) => c.notNull())
		.execute();
	await s.createIndex('sms_outbox_created').on('sms_outbox').column('created_at').execute();
	await s
		.createTable('household_register')
		.addColumn('id_hmac', 'text', (c) => c.primaryKey())
		.addColumn('name_hmac', 'text', (c) => c.notNull())
		.addColumn('region', 'text', (c) => c.notNull())
		.addColumn('household_id', 'text')
		.addColumn('updated_at', TIME, (c) => c.notNull())
		.execute();
	await s
		.createTable('phone_registry')
		.addColumn('phone_hmac', 'text', (c) => c.primaryKey())
		.addColumn('id_hmac', 'text', (c) => c.notNull())
		.addColumn('updated_at', TIME, (c) => c.notNull())
		.execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('phone_registry').execute();
	await db.schema.dropTable('household_register').execute();
	await db.schema.dropTable('sms_outbox').execute();
	await db.schema.alterTable('accounts').dropColumn('device_key').execute();
}

export const migration002: Migration = { up, down };
