/**
 * staff: authority console accounts (username, scrypt password hash, disabled flag, role — migration 027).
 */
import type { Db } from './db.js';
import type { StaffTable } from './schema.js';

export async function insertStaff(db: Db, row: StaffTable): Promise<void> {
	await db.insertInto('staff').values(row).execute();
}

export async function staffByUsername(db: Db, username: string): Promise<StaffTable | undefined> {
	return db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function staffById(db: Db, id: string): Promise<Pick<StaffTable, 'username' | 'disabled_at' | 'role'> | undefined> {
	return db.selectFrom('staff').select(['username', 'disabled_at', 'role']).where('id', '=', id).executeTakeFirst();
}

/** Marks the account disabled (once); returns its id, or undefined when there is no such user. */
export async function setStaffDisabled(db: Db, username: string, nowMs: number): Promise<string | undefined> {
	const row = await db.selectFrom('staff').select(['id', 'disabled_at']).where('username', '=', username).executeTakeFirst();
	if (!row) return undefined;
	if (row.disabled_at === null) await db.updateTable('staff').set({ disabled_at: nowMs }).where('id', '=', row.id).execute();
	return row.id;
}

/** Sets the role of an account; false when there is no such user. */
export async function setStaffRole(db: Db, username: string, role: string): Promise<boolean> {
	const r = await db.updateTable('staff').set({ role }).where('username', '=', username).executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

export type StaffListRow = Pick<StaffTable, 'id' | 'username' | 'role' | 'created_at' | 'disabled_at'> & {
	/** newest sign-in among its sessions still on record (null: none) */
	last_seen_at: number | null;
	/** sessions open now */
	open_sessions: number;
};

/** Every account (enabled first, then by username), with its newest session and how many are open now. */
export async function listStaffRows(db: Db, nowMs: number): Promise<StaffListRow[]> {
	const rows = await db
		.selectFrom('staff as s')
		.select([
			's.id',
			's.username',
			's.role',
			's.created_at',
			's.disabled_at',
			(eb) =>
				eb
					.selectFrom('sessions as x')
					.select((e) => e.fn.max('x.last_seen_at').as('m'))
					.where('x.role', '=', 'staff')
					.whereRef('x.subject', '=', 's.id')
					.as('last_seen_at'),
			(eb) =>
				eb
					.selectFrom('sessions as x')
					.select((e) => e.fn.countAll<number | string | bigint>().as('n'))
					.where('x.role', '=', 'staff')
					.whereRef('x.subject', '=', 's.id')
					.where('x.expires_at', '>', nowMs)
					.as('open_sessions')
		])
		.orderBy('s.username')
		.execute();
	return rows.map((r) => ({
		...r,
		last_seen_at: r.last_seen_at === null || r.last_seen_at === undefined ? null : Number(r.last_seen_at),
		open_sessions: Number(r.open_sessions ?? 0)
	}));
}
