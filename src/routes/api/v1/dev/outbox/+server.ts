import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { latestOutboxMessages } from '$lib/server/store/sms-outbox';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Demo mode only: the last SMS messages, so a newcomer can sign in without an SMS gateway. */
export const GET: RequestHandler = ({ url }) =>
	respond(async () => {
		const deps = await issuer();
		if (!deps.config.demo) throw new DomainError('not-found');
		const rows = await latestOutboxMessages(deps.db, 20, url.searchParams.get('phone'));
		return jsonResponse({ messages: rows.map((r) => ({ phone: r.phone, text: r.text, at: r.created_at })) });
	});
