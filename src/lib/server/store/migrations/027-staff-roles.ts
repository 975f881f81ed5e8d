/**
 * Migration 027 (issue 15, "People and devices"): staff roles and venue kinds.
 * - staff.role: viewer | officer | approver | admin (core/staff-roles.ts). Accounts that exist are made `admin`:
 *   before roles, every staff member could do everything, and an operator upgrading must not be locked out of the
 *   staff page; the demo's second account (demo.approver) becomes `approver`. The column's default (`officer`) is
 *   only a fallback: every insert names the role.
 * - venues.kind: what sort of place it is (core/venue-kinds.ts), edited in the console; `other` until set.
 */
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.alterTable('staff')
		.addColumn('role', 'text', (c) => c.notNull().defaultTo('officer'))
		.execute();
	const k = db as Kysely<{ staff: { role: string; username: string } }>;
	await k.updateTable('staff').set({ role: 'admin' }).execute();
	await k.updateTable('staff').set({ role: 'approver' }).where('username', '=', 'demo.approver').execute();
	await db.schema
		.alterTable('venues')
		.addColumn('kind', 'text', (c) => c.notNull().defaultTo('other'))
		.execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('venues').dropColumn('kind').execute();
	await db.schema.alterTable('staff').dropColumn('role').execute();
}

export const migration027: Migration = { up, down };
