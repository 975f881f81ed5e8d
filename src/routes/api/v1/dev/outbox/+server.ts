import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { jsonResponse, respond } from '$lib/server/http/respond';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Demo mode only: the last SMS messages, so a newcomer can sign in without an SMS gateway. */
export const GET: RequestHandler = ({ url }) =>
	respond(async () => {
		const deps = await issuer();
		if (!deps.config.demo) throw new DomainError('not-found');
		let q = deps.db.selectFrom('sms_outbox').select(['phone', 'text', 'created_at']).orderBy('created_at', 'desc').limit(20);
		const phone = url.searchParams.get('phone');
		if (phone) q = q.where('phone', '=', phone);
		const rows = await q.execute();
		return jsonResponse({ messages: rows.map((r) => ({ phone: r.phone, text: r.text, at: r.created_at })) });
	});
