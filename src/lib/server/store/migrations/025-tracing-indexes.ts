/**
 * Migration 025: indexes for contact tracing in the console (issue 15, server/tracing/). A trace asks, for each of
 * a case's venue visits, whose codes the guards scanned at that venue within minutes of it: a range scan on
 * scan_events (venue_id, scanned_at) instead of every scan of the city in those minutes; and the case's own scans
 * are found through its codes: scan_events (code_id). Both are range scans bounded by the trace's time window.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.createIndex('scan_events_venue_scanned').ifNotExists().on('scan_events').columns(['venue_id', 'scanned_at']).execute();
	await db.schema.createIndex('scan_events_code').ifNotExists().on('scan_events').columns(['code_id', 'scanned_at']).execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropIndex('scan_events_code').ifExists().execute();
	await db.schema.dropIndex('scan_events_venue_scanned').ifExists().execute();
}

export const migration025: Migration = { up, down };
