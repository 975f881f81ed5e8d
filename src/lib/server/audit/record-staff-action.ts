/**
 * Every console action and every staff read of personal data leaves a row in staff_audit (migration 020), which
 * nobody — not the application, not an operator's query — can rewrite. Services call this inside the same
 * transaction as the action where there is one, so an action and its audit row commit together.
 */
import type { Db } from '../store/db.js';
import { insertStaffAudit } from '../store/staff-audit.js';

export interface StaffAction {
	/** staff username (or `cli:<user>`) */
	actor: string;
	/** stable dotted name, e.g. `person.lookup`, `tracing.query`, `appeal.resolve`, `staff.disable` */
	action: string;
	/** the resident's ref (HMAC of the ID number) when the action concerns one person; never a clear ID */
	personHash?: string | null;
	/** id of the thing acted on */
	target?: string | null;
	/** why, in the staff member's words (required by the caller for reads of personal data) */
	purpose?: string | null;
	/** small, non-personal detail (counts, filters, outcome) */
	detail?: Record<string, unknown>;
	at: number;
}

export async function recordStaffAction(db: Db, a: StaffAction): Promise<void> {
	await insertStaffAudit(db, {
		at: a.at,
		actor: a.actor,
		action: a.action,
		person_hash: a.personHash ?? null,
		target: a.target ?? null,
		purpose: a.purpose ?? null,
		detail_json: a.detail === undefined ? null : JSON.stringify(a.detail)
	});
}
