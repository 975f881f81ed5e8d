/**
 * Migration 004: the facts colours are decided from (issue 4, data sources), the rule sets, and each resident's
 * current colour with its append-only audit.
 *
 * Person references are `ref` = household_register.id_hmac (the keyed hash of the ID number, people.ts idHmac):
 * facts arrive for residents who have no account yet, so they cannot point at people.id.
 *
 * - health_tests, cases, quarantine_orders: health source. contacts: public-security relations (close /
 *   secondary contacts found by investigation; family is the register's household_id).
 * - risk_areas: entered by the authority (shape as JSON; `bbox_*` so candidate areas are found without parsing).
 * - rule_sets: versioned rules JSON, who saved it and when; exactly one has active = 1.
 * - resident_colours: the current evaluated colour per ref (what a rules change or new fact is compared with);
 *   resident_colour_events: append-only audit of every change of it (rule version, reasons, facts, actor).
 *   colour_events (001) still audits decisions that issued codes to an account's person.
 * - trajectory_points.grid: a ~1.1 km grid cell (geo/grid.ts) with an index on (grid, at), so "who was in this
 *   area in this window" is a range scan per cell, never a full scan.
 * - venue_visits: visits at our venues by ref (the demo city's scan history, and scans joined to a person
 *   through their code; scan_events itself keys by code id). Purged with the scan logs.
 * - phone_registry(id_hmac): a person's phones, to load their trajectory.
 */
import type { Kysely, Migration } from 'kysely';
import { PostgresAdapter, type CreateTableBuilder } from 'kysely';

const TIME = 'bigint';

function identity<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T>, column: string) {
	return db.getExecutor().adapter instanceof PostgresAdapter
		? table.addColumn(column, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		: table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement());
}

async function up(db: Kysely<unknown>): Promise<void> {
	const s = db.schema;
	await s
		.createTable('health_tests')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('ref', 'text', (c) => c.notNull())
		.addColumn('sampled_at', TIME, (c) => c.notNull())
		.addColumn('result', 'text', (c) => c.notNull())
		.addColumn('received_at', TIME, (c) => c.notNull())
		.execute();
	await s.createIndex('health_tests_ref').on('health_tests').columns(['ref', 'sampled_at']).execute();

	await s
		.createTable('cases')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('ref', 'text', (c) => c.notNull())
		.addColumn('confirmed_at', TIME, (c) => c.notNull())
		.addColumn('released_at', TIME)
		.addColumn('received_at', TIME, (c) => c.notNull())
		.execute();
	await s.createIndex('cases_ref').on('cases').column('ref').execute();
	await s.createIndex('cases_confirmed').on('cases').column('confirmed_at').execute();

	await s
		.createTable('quarantine_orders')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('ref', 'text', (c) => c.notNull())
		.addColumn('from_at', TIME, (c) => c.notNull())
		.addColumn('until_at', TIME, (c) => c.notNull())
		.addColumn('received_at', TIME, (c) => c.notNull())
		.execute();
	await s.createIndex('quarantine_orders_ref').on('quarantine_orders').column('ref').execute();

	await s
		.createTable('contacts')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('ref', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('to_ref', 'text', (c) => c.notNull())
		.addColumn('exposed_at', TIME, (c) => c.notNull())
		.addColumn('received_at', TIME, (c) => c.notNull())
		.execute();
	await s.createIndex('contacts_ref').on('contacts').column('ref').execute();
	await s.createIndex('contacts_to_ref').on('contacts').column('to_ref').execute();

	await s
		.createTable('risk_areas')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('level', 'text', (c) => c.notNull())
		.addColumn('shape_json', 'text', (c) => c.notNull())
		.addColumn('bbox_west', 'double precision', (c) => c.notNull())
		.addColumn('bbox_south', 'double precision', (c) => c.notNull())
		.addColumn('bbox_east', 'double precision', (c) => c.notNull())
		.addColumn('bbox_north', 'double precision', (c) => c.notNull())
		.addColumn('from_at', TIME, (c) => c.notNull())
		.addColumn('until_at', TIME)
		.addColumn('created_at', TIME, (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.notNull())
		.execute();
	await s.createIndex('risk_areas_until').on('risk_areas').column('until_at').execute();

	await identity(db, s.createTable('rule_sets'), 'id')
		.addColumn('version', 'text', (c) => c.notNull().unique())
		.addColumn('rules_json', 'text', (c) => c.notNull())
		.addColumn('saved_at', TIME, (c) => c.notNull())
		.addColumn('saved_by', 'text', (c) => c.notNull())
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	await s
		.createTable('resident_colours')
		.addColumn('ref', 'text', (c) => c.primaryKey())
		.addColumn('colour', 'text', (c) => c.notNull())
		.addColumn('reasons_json', 'text', (c) => c.notNull())
		.addColumn('rule_version', 'text', (c) => c.notNull())
		.addColumn('updated_at', TIME, (c) => c.notNull())
		.execute();
	await s.createIndex('resident_colours_colour').on('resident_colours').column('colour').execute();

	await identity(db, s.createTable('resident_colour_events'), 'id')
		.addColumn('ref', 'text', (c) => c.notNull())
		.addColumn('at', TIME, (c) => c.notNull())
		.addColumn('colour', 'text', (c) => c.notNull())
		.addColumn('previous_colour', 'text')
		.addColumn('reasons_json', 'text', (c) => c.notNull())
		.addColumn('rule_version', 'text', (c) => c.notNull())
		.addColumn('facts_json', 'text', (c) => c.notNull())
		.addColumn('actor', 'text', (c) => c.notNull())
		.execute();
	await s.createIndex('resident_colour_events_ref_at').on('resident_colour_events').columns(['ref', 'at']).execute();

	await s
		.createTable('venue_visits')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('ref', 'text', (c) => c.notNull())
		.addColumn('venue_id', 'text', (c) => c.notNull())
		.addColumn('at', TIME, (c) => c.notNull())
		.execute();
	await s.createIndex('venue_visits_ref').on('venue_visits').columns(['ref', 'at']).execute();
	await s.createIndex('venue_visits_venue_at').on('venue_visits').columns(['venue_id', 'at']).execute();

	await s.alterTable('trajectory_points').addColumn('grid', TIME).execute();
	await s.createIndex('trajectory_points_grid_at').on('trajectory_points').columns(['grid', 'at']).execute();
	await s.createIndex('phone_registry_id').on('phone_registry').column('id_hmac').execute();
	await s.createIndex('household_register_household').on('household_register').column('household_id').execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	const s = db.schema;
	await s.dropIndex('household_register_household').execute();
	await s.dropIndex('phone_registry_id').execute();
	await s.dropIndex('trajectory_points_grid_at').execute();
	await s.alterTable('trajectory_points').dropColumn('grid').execute();
	for (const t of [
		'venue_visits',
		'resident_colour_events',
		'resident_colours',
		'rule_sets',
		'risk_areas',
		'contacts',
		'quarantine_orders',
		'cases',
		'health_tests'
	]) {
		await s.dropTable(t).execute();
	}
}

export const migration004: Migration = { up, down };
