/**
 * The production SMS sender: an HTTP webhook of the operator's gateway. Each message is one POST of
 * `{"to": "+86…", "text": "…"}` (JSON) with `Authorization: Bearer TONGXING_SMS_WEBHOOK_TOKEN` when set, answered
 * 2xx when accepted. Nothing is logged: the text holds a one-time code. A failure or a gateway slower than the
 * timeout is `sms/unavailable` (503, Retry-After) for the resident, never a 500, and never a code in the log.
 */
import { DomainError } from '../domain-error.js';
import type { SmsSender } from './sms.js';

export const SMS_WEBHOOK_TIMEOUT_MS = 5_000;

export function webhookSms(url: string, token: string | undefined, timeoutMs = SMS_WEBHOOK_TIMEOUT_MS): SmsSender {
	return {
		name: 'webhook',
		async send(phone, text) {
			let ok: boolean;
			try {
				const res = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
					body: JSON.stringify({ to: phone, text }),
					signal: AbortSignal.timeout(timeoutMs)
				});
				ok = res.ok;
				await res.body?.cancel();
			} catch {
				ok = false; // unreachable, refused, timed out: the same answer for the resident
			}
			if (!ok) throw new DomainError('sms/unavailable', { retryAfterSeconds: 30 });
		}
	};
}
