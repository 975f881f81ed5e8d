/**
 * proposals and their append-only audit, proposal_events (migration 011): the staff actions under the approval
 * rule (src/lib/server/proposals/). A proposal's status moves only forward, each step by compare-and-set on
 * the status it expects, so two approvers racing apply it once.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Db } from './db.js';
import type { ProposalEventsTable, ProposalsTable } from './schema.js';

export type ProposalRow = Selectable<ProposalsTable>;
export type ProposalEventRow = Selectable<ProposalEventsTable>;

export async function insertProposal(db: Db, row: ProposalsTable): Promise<void> {
	await db.insertInto('proposals').values(row).execute();
}

export async function proposalById(db: Db, id: string): Promise<ProposalRow | undefined> {
	return db.selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A proposal without its payload (an import's file can be megabytes): what lists show. */
export type ProposalSummaryRow = Omit<ProposalRow, 'payload_json'>;
const SUMMARY_COLUMNS = [
	'id',
	'kind',
	'status',
	'preview_json',
	'summary',
	'reason_code',
	'note',
	'urgent',
	'proposed_by',
	'proposed_at',
	'decided_by',
	'decided_at',
	'deadline_at',
	'applied_at',
	'result_json'
] as const satisfies readonly (keyof ProposalSummaryRow)[];

/** Newest first, without payloads; `status` narrows to one status. */
export async function latestProposals(db: Db, limit: number, status?: string): Promise<ProposalSummaryRow[]> {
	let q = db.selectFrom('proposals').select(SUMMARY_COLUMNS);
	if (status) q = q.where('status', '=', status);
	return q.orderBy('proposed_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/**
 * Moves a proposal from `from` to the fields given; true when this call did it (false: someone else moved it
 * first, or it was never in `from`).
 */
export async function updateProposalIf(
	db: Db,
	id: string,
	from: string,
	set: Partial<
		Pick<ProposalsTable, 'status' | 'decided_by' | 'decided_at' | 'applied_at' | 'result_json' | 'preview_json' | 'payload_json'>
	>
): Promise<boolean> {
	const r = await db.updateTable('proposals').set(set).where('id', '=', id).where('status', '=', from).executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Urgent proposals in effect whose approval deadline has passed (oldest first). */
export async function overdueUrgentProposals(db: Db, nowMs: number, limit: number): Promise<ProposalRow[]> {
	return db
		.selectFrom('proposals')
		.selectAll()
		.where('status', '=', 'pending')
		.where('urgent', '=', 1)
		.where('deadline_at', '<=', nowMs)
		.orderBy('deadline_at')
		.limit(limit)
		.execute();
}

export async function insertProposalEvent(db: Db, row: Insertable<ProposalEventsTable>): Promise<void> {
	await db.insertInto('proposal_events').values(row).execute();
}

export async function proposalEvents(db: Db, proposalId: string): Promise<ProposalEventRow[]> {
	return db.selectFrom('proposal_events').selectAll().where('proposal_id', '=', proposalId).orderBy('id').execute();
}
