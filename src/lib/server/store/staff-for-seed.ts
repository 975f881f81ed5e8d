/**
 * The one staff query the demo seed needs (does the demo console account exist?), kept apart from the staff
 * repository that another branch creates (store/staff.ts): fold it in there when both are merged.
 */
import type { Db } from './db.js';

export async function staffExists(db: Db, username: string): Promise<boolean> {
	return (await db.selectFrom('staff').select('id').where('username', '=', username).executeTakeFirst()) !== undefined;
}
