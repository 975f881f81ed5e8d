/**
 * Migration 013 (issue 13: production is production; credentials have a lifecycle).
 *
 * guard_devices.revoked_by, data_source_keys.revoked_by: who withdrew the credential (`staff:ID` from the
 * console, `cli` from `tongxing guard revoke` / `source revoke`), shown in the console's credentials list.
 *
 * Accounts keep no phone in clear:
 * - accounts.phone becomes accounts.phone_hmac: keyedHash(hmacKey, 'phone', phone), the same hash one-time codes
 *   and the phone registry use, for lookup and uniqueness. A rename keeps the column's NOT NULL and UNIQUE on both
 *   engines; SQLite cannot otherwise drop or relax that column in place, and its table rebuild fails at commit
 *   here (people and otp_challenges reference accounts, and `defer_foreign_keys` does not forgive the DROP TABLE).
 * - accounts.phone_enc: the phone sealed with AES-256-GCM (crypto/phone-seal.ts), for the cases where the app must
 *   send to the phone or show it masked.
 *
 * Existing rows are converted by a start-up step after migrations (issuer/seal-legacy-phones.ts), not here: the
 * conversion needs the HMAC and phone keys, which live in DATA_DIR/keys or the environment — migrations run from
 * openDatabase() for every caller (CLI, tests, tools) with only a database handle, and must not create or guess
 * keys. Until the step has run, a legacy row holds its clear phone in phone_hmac with phone_enc NULL; the step
 * converts exactly those rows (idempotent, one transaction) before the server answers any request.
 */
import { sql, type Kysely, type Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await sql`alter table accounts rename column phone to phone_hmac`.execute(db);
	await db.schema.alterTable('accounts').addColumn('phone_enc', 'text').execute();
	await db.schema.alterTable('guard_devices').addColumn('revoked_by', 'text').execute();
	await db.schema.alterTable('data_source_keys').addColumn('revoked_by', 'text').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('data_source_keys').dropColumn('revoked_by').execute();
	await db.schema.alterTable('guard_devices').dropColumn('revoked_by').execute();
	await db.schema.alterTable('accounts').dropColumn('phone_enc').execute();
	await sql`alter table accounts rename column phone_hmac to phone`.execute(db);
}

export const migration013: Migration = { up, down };
