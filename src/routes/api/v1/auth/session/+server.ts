import { issuer } from '$lib/server/app';
import { verifyOtp } from '$lib/server/auth/otp';
import { RESIDENT_SESSION_MS, SESSION_COOKIE, createSession, endSession } from '$lib/server/auth/session';
import { accountForPhone } from '$lib/server/issuer/accounts';
import { bearerOrCookie } from '$lib/server/http/guard';
import { isLoopbackHost } from '$lib/server/http/same-origin';
import { readRequest } from '$lib/server/http/read-request';
import { SessionRequestSchema, type SessionResponse } from '$lib/core/contract/resident';
import { jsonResponse, respond } from '$lib/server/http/respond';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Sign in with the code: sets the session cookie (Secure, HttpOnly, SameSite=Strict). */
export const POST: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const body = await readRequest(request, SessionRequestSchema, 1024);
		const now = deps.clock();
		const phone = await verifyOtp(deps, { challengeId: body.challengeId, phone: body.phone, code: body.code, nowMs: now });
		const accountId = await accountForPhone(deps, phone, now);
		const { token, expiresAt } = await createSession(deps.db, deps.hmacKey, {
			role: 'resident',
			subject: accountId,
			accountId,
			nowMs: now,
			ttlMs: RESIDENT_SESSION_MS
		});
		// Secure everywhere but plain-http loopback (development and tests), where browsers may not keep it.
		const secure = !isLoopbackHost(request.headers.get('host'));
		cookies.set(SESSION_COOKIE, token, {
			path: '/',
			httpOnly: true,
			secure,
			sameSite: 'strict',
			maxAge: Math.floor(RESIDENT_SESSION_MS / 1000)
		});
		return jsonResponse({ accountId, expiresAt } satisfies SessionResponse);
	});

export const DELETE: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const token = bearerOrCookie(request, cookies);
		if (token) await endSession(deps.db, deps.hmacKey, token);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		return new Response(null, { status: 204 });
	});
