/**
 * Migration 016 (issue 16: the market's "yellow: admit after registration" captures the registration).
 *
 * scan_events.registration_name / registration_phone_enc / registration_at: the registration a guard took for a
 * yellow code (core/contract/scan-event.ts ScanRegistration), null on every other scan. The phone is sealed like
 * account phones (crypto/phone-seal.ts, the scan's event id as additional data). Columns of the scan row, so the
 * retention purge that deletes the scan deletes its registration (store/retention.ts, docs/scanner.md).
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('scan_events').addColumn('registration_name', 'text').execute();
	await db.schema.alterTable('scan_events').addColumn('registration_phone_enc', 'text').execute();
	await db.schema.alterTable('scan_events').addColumn('registration_at', 'bigint').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('scan_events').dropColumn('registration_at').execute();
	await db.schema.alterTable('scan_events').dropColumn('registration_phone_enc').execute();
	await db.schema.alterTable('scan_events').dropColumn('registration_name').execute();
}

export const migration016: Migration = { up, down };
