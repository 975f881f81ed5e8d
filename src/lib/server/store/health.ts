/** The database as /api/v1/health sees it: one round trip, and which engine answered. */
import { sql } from 'kysely';
import type { Store } from './db.js';

export async function pingDatabase(db: Store): Promise<void> {
	await sql`select 1`.execute(db);
}
