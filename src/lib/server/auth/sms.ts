/**
 * SMS delivery is an adapter. The embedded default is the demo outbox: the message goes to the server log
 * and to the sms_outbox table, which the demo-only outbox API reads, so a newcomer can sign in without
 * an SMS gateway. A production deployment supplies a gateway adapter instead.
 */
import type { Db } from '../store/db.js';
import { insertOutboxMessage } from '../store/sms-outbox.js';
import { maskPhone } from './phone.js';

export interface SmsSender {
	/** What delivers the messages, for /api/v1/health (e.g. `demo-outbox`). */
	readonly name: string;
	send(phone: string, text: string, nowMs: number): Promise<void>;
}

export function demoOutbox(db: Db, log: (line: string) => void = console.log): SmsSender {
	return {
		name: 'demo-outbox',
		async send(phone, text, nowMs) {
			await insertOutboxMessage(db, { phone, text, created_at: nowMs });
			log(`[dev outbox] SMS to ${maskPhone(phone)}: ${text}`);
		}
	};
}
