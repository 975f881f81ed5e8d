/**
 * staff: authority console accounts (username, scrypt password hash, disabled flag).
 */
import type { Db } from './db.js';
import type { StaffTable } from './schema.js';

export async function insertStaff(db: Db, row: StaffTable): Promise<void> {
	await db.insertInto('staff').values(row).execute();
}

export async function staffByUsername(db: Db, username: string): Promise<StaffTable | undefined> {
	return db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function staffById(db: Db, id: string): Promise<Pick<StaffTable, 'username' | 'disabled_at'> | undefined> {
	return db.selectFrom('staff').select(['username', 'disabled_at']).where('id', '=', id).executeTakeFirst();
}

/** Marks the account disabled (once); returns its id, or undefined when there is no such user. */
export async function setStaffDisabled(db: Db, username: string, nowMs: number): Promise<string | undefined> {
	const row = await db.selectFrom('staff').select(['id', 'disabled_at']).where('username', '=', username).executeTakeFirst();
	if (!row) return undefined;
	if (row.disabled_at === null) await db.updateTable('staff').set({ disabled_at: nowMs }).where('id', '=', row.id).execute();
	return row.id;
}
