/**
 * The actor a console action is recorded under in staff_audit: the staff member's username (their id if the
 * account is gone). From the store, not staff/: services in staff/ record their own actions through this folder.
 */
import type { Db } from '../store/db.js';
import { staffById } from '../store/staff.js';

export async function staffActor(db: Db, staffId: string): Promise<string> {
	return (await staffById(db, staffId))?.username ?? `staff:${staffId}`;
}
