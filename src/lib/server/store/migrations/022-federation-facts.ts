/**
 * Migration 022: facts that cross borders (issue 14, docs/federation.md §Facts).
 *
 * A region's side:
 * - fed_residents: the routing hash (national key) of each resident this region is home to, with the local ref;
 *   registered_at null until the gateway has it (registration is incremental);
 * - fed_outbox: facts recorded here about people whose home is elsewhere, in recording order (seq), each sent
 *   until the gateway accepted or rejected it (with its reason: kept for the operators, never dropped);
 * - fed_inbox: every fact received, by id (the highest revision applied), applied or rejected with a reason;
 * - source_region on the fact tables: the region that recorded a fact (null: this region).
 * The gateway's side (its own database, same schema): gw_homes (routing hash → home region), gw_conflicts (a hash
 * claimed by a second region: reported, not overwritten), gw_batches (each signed batch message once), gw_queue
 * (facts waiting for their home region, in arrival order), gw_rejections (per item, with the reason).
 * Cross-region tracing (federation/tracing.ts): fed_known_routes (ref → routing hash of anyone a source named here),
 * fed_tracing (requests asked and received, with decisions), gw_tracing (requests and answers in transit).
 */
import { PostgresAdapter, type Kysely, type Migration } from 'kysely';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

const FACT_TABLES = ['health_tests', 'cases', 'quarantine_orders', 'contacts', 'venue_visits'] as const;

async function up(db: Kysely<unknown>): Promise<void> {
	const pg = isPostgres(db);
	const withSeq = (name: string, column = 'seq') =>
		pg
			? db.schema.createTable(name).addColumn(column, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
			: db.schema.createTable(name).addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement());

	await db.schema
		.createTable('fed_residents')
		.addColumn('route_hash', 'text', (c) => c.primaryKey())
		.addColumn('ref', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('registered_at', 'bigint')
		.execute();
	await db.schema.createIndex('fed_residents_ref').on('fed_residents').column('ref').execute();
	await db.schema.createIndex('fed_residents_unregistered').on('fed_residents').columns(['registered_at', 'route_hash']).execute();

	await withSeq('fed_outbox')
		.addColumn('fact_id', 'text', (c) => c.notNull())
		.addColumn('rev', 'integer', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('fact_json', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('state', 'text', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
		.addColumn('last_error', 'text')
		.addColumn('done_at', 'bigint')
		.addColumn('reject_code', 'text')
		.addColumn('reject_field', 'text')
		.addUniqueConstraint('fed_outbox_fact_rev', ['fact_id', 'rev'])
		.execute();
	await db.schema.createIndex('fed_outbox_due').on('fed_outbox').columns(['state', 'next_attempt_at']).execute();
	await db.schema.createIndex('fed_outbox_fact').on('fed_outbox').columns(['fact_id', 'seq']).execute();

	await db.schema
		.createTable('fed_inbox')
		.addColumn('fact_id', 'text', (c) => c.primaryKey())
		.addColumn('rev', 'integer', (c) => c.notNull())
		.addColumn('source_region', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('batch_id', 'text', (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.addColumn('outcome', 'text', (c) => c.notNull())
		.addColumn('reject_code', 'text')
		.execute();

	for (const t of FACT_TABLES) await db.schema.alterTable(t).addColumn('source_region', 'text').execute();

	// the routing hash of anyone a data source named by ID number here (residents or not): how a contact found by
	// this region's tracing is addressed to its home region
	await db.schema
		.createTable('fed_known_routes')
		.addColumn('ref', 'text', (c) => c.primaryKey())
		.addColumn('route_hash', 'text', (c) => c.notNull())
		.execute();
	// cross-region tracing requests, asked ('out') and received ('in'), with their decision and outcome
	await db.schema
		.createTable('fed_tracing')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('direction', 'text', (c) => c.notNull())
		.addColumn('peer_region', 'text', (c) => c.notNull())
		.addColumn('case_route', 'text')
		.addColumn('visits_json', 'text', (c) => c.notNull())
		.addColumn('purpose', 'text', (c) => c.notNull())
		.addColumn('state', 'text', (c) => c.notNull())
		.addColumn('requested_by', 'text', (c) => c.notNull())
		.addColumn('requested_at', 'bigint', (c) => c.notNull())
		.addColumn('decided_by', 'text')
		.addColumn('decided_at', 'bigint')
		.addColumn('note', 'text')
		.addColumn('found', 'integer')
		.addColumn('message', 'text')
		.addColumn('answer_json', 'text')
		.addColumn('answer_sent_at', 'bigint')
		.execute();
	await db.schema.createIndex('fed_tracing_state').on('fed_tracing').columns(['direction', 'state', 'requested_at']).execute();

	await db.schema
		.createTable('gw_homes')
		.addColumn('route_hash', 'text', (c) => c.primaryKey())
		.addColumn('region', 'text', (c) => c.notNull())
		.addColumn('registered_at', 'bigint', (c) => c.notNull())
		.execute();
	await withSeq('gw_conflicts', 'id')
		.addColumn('route_hash', 'text', (c) => c.notNull())
		.addColumn('home_region', 'text', (c) => c.notNull())
		.addColumn('claimed_by', 'text', (c) => c.notNull())
		.addColumn('at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('gw_conflicts_claim').on('gw_conflicts').columns(['route_hash', 'claimed_by']).unique().execute();
	await db.schema
		.createTable('gw_batches')
		.addColumn('batch_key', 'text', (c) => c.primaryKey())
		.addColumn('region', 'text', (c) => c.notNull())
		.addColumn('message', 'text', (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.execute();
	await withSeq('gw_queue')
		.addColumn('to_region', 'text', (c) => c.notNull())
		.addColumn('from_region', 'text', (c) => c.notNull())
		.addColumn('fact_id', 'text', (c) => c.notNull())
		.addColumn('rev', 'integer', (c) => c.notNull())
		.addColumn('batch_key', 'text', (c) => c.notNull())
		.addColumn('fact_text', 'text', (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.addColumn('acked_at', 'bigint')
		.addUniqueConstraint('gw_queue_fact_rev', ['fact_id', 'rev'])
		.execute();
	await db.schema.createIndex('gw_queue_region').on('gw_queue').columns(['to_region', 'seq']).execute();
	await withSeq('gw_rejections', 'id')
		.addColumn('from_region', 'text', (c) => c.notNull())
		.addColumn('batch_id', 'text', (c) => c.notNull())
		.addColumn('fact_id', 'text')
		.addColumn('code', 'text', (c) => c.notNull())
		.addColumn('field', 'text')
		.addColumn('at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('gw_rejections_region').on('gw_rejections').columns(['from_region', 'at']).execute();
	await withSeq('gw_tracing')
		.addColumn('id', 'text', (c) => c.notNull().unique())
		.addColumn('from_region', 'text', (c) => c.notNull())
		.addColumn('to_region', 'text', (c) => c.notNull())
		.addColumn('request_message', 'text', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('answer_message', 'text')
		.addColumn('answered_at', 'bigint')
		.execute();
	await db.schema.createIndex('gw_tracing_to').on('gw_tracing').columns(['to_region', 'seq']).execute();
	await db.schema.createIndex('gw_tracing_from').on('gw_tracing').columns(['from_region', 'answered_at']).execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	for (const t of [
		'gw_tracing',
		'gw_rejections',
		'gw_queue',
		'gw_batches',
		'gw_conflicts',
		'gw_homes',
		'fed_tracing',
		'fed_known_routes',
		'fed_inbox',
		'fed_outbox',
		'fed_residents'
	])
		await db.schema.dropTable(t).execute();
	for (const t of FACT_TABLES) await db.schema.alterTable(t).dropColumn('source_region').execute();
}

export const migration022: Migration = { up, down };
