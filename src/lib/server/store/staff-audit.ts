/**
 * staff_audit (migration 020): the append-only record of console actions and reads of personal data. Inserts only;
 * reads page newest first with the viewer's filters (actor, action, person, time), keyset on (at, id) so an export
 * of a year of actions is read in bounded memory.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Db } from './db.js';
import type { StaffAuditTable } from './schema.js';

export type StaffAuditRow = Selectable<StaffAuditTable>;

export async function insertStaffAudit(db: Db, row: Insertable<StaffAuditTable>): Promise<void> {
	await db.insertInto('staff_audit').values(row).execute();
}

export interface StaffAuditFilter {
	actor?: string;
	/** exact action, or a prefix ending in '.' (`person.` matches every person action) */
	action?: string;
	personHash?: string;
	/** inclusive lower bound, ms */
	from?: number;
	/** exclusive upper bound, ms */
	until?: number;
}

/** One page, newest first; `before` is the (at, id) of the last row of the previous page. */
export async function staffAuditPage(
	db: Db,
	filter: StaffAuditFilter,
	limit: number,
	before?: { at: number; id: number }
): Promise<StaffAuditRow[]> {
	let q = db.selectFrom('staff_audit').selectAll();
	if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
	if (filter.action !== undefined)
		q = filter.action.endsWith('.')
			? q.where('action', 'like', `${filter.action.replace(/[%_\\]/g, '')}%`)
			: q.where('action', '=', filter.action);
	if (filter.personHash !== undefined) q = q.where('person_hash', '=', filter.personHash);
	if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
	if (filter.until !== undefined) q = q.where('at', '<', filter.until);
	if (before !== undefined)
		q = q.where((eb) => eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]));
	const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
	// PostgreSQL returns bigint columns as strings through pg; the store hands out numbers
	return rows.map((r) => ({ ...r, id: Number(r.id), at: Number(r.at) }));
}
