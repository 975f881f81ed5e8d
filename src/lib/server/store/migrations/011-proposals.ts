/**
 * Migration 011: no one changes colours alone (issue 13). A staff action that would recolour more residents than
 * the approval threshold, and every manual colour decision, is a proposal a second staff member approves
 * (src/lib/server/proposals/).
 * - proposals: what would be done (payload), its preview (counts per transition, a sample with masked names),
 *   the reason code, proposer, status (pending / approved / applied / rejected / lapsed), the approver, and for an
 *   urgent risk area the deadline by which it must be approved or it lapses. Actions under the threshold are
 *   recorded here too, straight as `applied`, so every colour-changing staff action has its reason code.
 * - proposal_events: the append-only audit of each step (proposed, applied, approved, rejected, lapsed) with the
 *   actor and the reason code; refuses UPDATE / DELETE (/ TRUNCATE) like the tables of migration 010.
 * - colour_overrides: an approved manual colour decision for one resident (ref), honoured by the decision path
 *   (recolour/overrides.ts) until `until_at` or until withdrawn.
 * - colour_events.proposal_id / reason_code: the staff decision behind a colour change, shown in the resident's
 *   history with its reason and how to appeal.
 */
import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';

const TIME = 'bigint';
const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

function identity<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T>, column: string) {
	return isPostgres(db)
		? table.addColumn(column, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
		: table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement());
}

async function up(db: Kysely<unknown>): Promise<void> {
	const s = db.schema;
	await s
		.createTable('proposals')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('payload_json', 'text', (c) => c.notNull())
		.addColumn('preview_json', 'text', (c) => c.notNull())
		.addColumn('summary', 'text', (c) => c.notNull())
		.addColumn('reason_code', 'text', (c) => c.notNull())
		.addColumn('note', 'text')
		.addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('proposed_by', 'text', (c) => c.notNull())
		.addColumn('proposed_at', TIME, (c) => c.notNull())
		.addColumn('decided_by', 'text')
		.addColumn('decided_at', TIME)
		.addColumn('deadline_at', TIME)
		.addColumn('applied_at', TIME)
		.addColumn('result_json', 'text')
		.execute();
	await s.createIndex('proposals_status_proposed').on('proposals').columns(['status', 'proposed_at']).execute();
	await s.createIndex('proposals_deadline').on('proposals').columns(['status', 'deadline_at']).execute();

	await identity(db, s.createTable('proposal_events'), 'id')
		.addColumn('proposal_id', 'text', (c) => c.notNull())
		.addColumn('at', TIME, (c) => c.notNull())
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('actor', 'text', (c) => c.notNull())
		.addColumn('reason_code', 'text', (c) => c.notNull())
		.addColumn('note', 'text')
		.addColumn('detail_json', 'text')
		.execute();
	await s.createIndex('proposal_events_proposal').on('proposal_events').columns(['proposal_id', 'at']).execute();

	await s
		.createTable('colour_overrides')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('ref', 'text', (c) => c.notNull())
		.addColumn('colour', 'text', (c) => c.notNull())
		.addColumn('reason_code', 'text', (c) => c.notNull())
		.addColumn('proposal_id', 'text', (c) => c.notNull())
		.addColumn('from_at', TIME, (c) => c.notNull())
		.addColumn('until_at', TIME)
		.addColumn('withdrawn_at', TIME)
		.addColumn('withdrawn_by', 'text')
		.execute();
	await s.createIndex('colour_overrides_ref').on('colour_overrides').columns(['ref', 'from_at']).execute();

	await s.alterTable('colour_events').addColumn('proposal_id', 'text').execute();
	await s.alterTable('colour_events').addColumn('reason_code', 'text').execute();

	if (!isPostgres(db)) {
		for (const op of ['update', 'delete'])
			await sql
				.raw(
					`create trigger proposal_events_no_${op} before ${op} on proposal_events begin select raise(abort, 'proposal_events is append-only'); end`
				)
				.execute(db);
		return;
	}
	// tongxing_append_only() is migration 010's
	await sql
		.raw(
			'create trigger proposal_events_append_only before update or delete on proposal_events for each row execute function tongxing_append_only()'
		)
		.execute(db);
	await sql
		.raw(
			'create trigger proposal_events_no_truncate before truncate on proposal_events for each statement execute function tongxing_append_only()'
		)
		.execute(db);
	await sql.raw('revoke update, delete, truncate on proposal_events from public, current_user').execute(db);
}

async function down(db: Kysely<unknown>): Promise<void> {
	if (isPostgres(db)) await sql.raw('grant update, delete, truncate on proposal_events to current_user').execute(db);
	await db.schema.alterTable('colour_events').dropColumn('reason_code').execute();
	await db.schema.alterTable('colour_events').dropColumn('proposal_id').execute();
	await db.schema.dropTable('colour_overrides').execute();
	await db.schema.dropTable('proposal_events').execute();
	await db.schema.dropTable('proposals').execute();
}

export const migration011: Migration = { up, down };
