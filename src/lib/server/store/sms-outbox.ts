/**
 * sms_outbox: the demo SMS gateway (auth/sms.ts). Messages are kept so the demo-only outbox API can show a
 * newcomer their sign-in code.
 */
import type { Db } from './db.js';

export interface OutboxMessage {
	phone: string;
	text: string;
	created_at: number;
}

export async function insertOutboxMessage(db: Db, m: OutboxMessage): Promise<void> {
	await db.insertInto('sms_outbox').values(m).execute();
}

/** The newest `limit` messages, to one phone or to all. */
export async function latestOutboxMessages(db: Db, limit: number, phone?: string | null): Promise<OutboxMessage[]> {
	let q = db.selectFrom('sms_outbox').select(['phone', 'text', 'created_at']).orderBy('created_at', 'desc').limit(limit);
	if (phone) q = q.where('phone', '=', phone);
	return q.execute();
}
