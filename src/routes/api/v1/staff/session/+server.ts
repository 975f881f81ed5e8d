import { issuer } from '$lib/server/app';
import { DomainError } from '$lib/server/domain-error';
import { requireRole } from '$lib/server/http/guard';
import { SESSION_COOKIE, createSession } from '$lib/server/auth/session';
import { readRequest } from '$lib/server/http/read-request';
import { StaffSignInRequestSchema, type StaffSession, type StaffSignInResponse } from '$lib/core/contract/console';
import { jsonResponse, respond } from '$lib/server/http/respond';
import { isLoopbackHost } from '$lib/server/http/same-origin';
import { staffSignIn, staffUsername } from '$lib/server/staff/staff';
import { clientAddress, trustedProxies } from '$lib/server/http/client-address';
import type { RequestHandler } from './$types';

export const prerender = false;
const STAFF_SESSION_MS = 12 * 3_600_000;

/** Authority staff sign-in (accounts from `tongxing staff add`); a 12-hour session. */
export const POST: RequestHandler = ({ request, cookies, getClientAddress }) =>
	respond(async () => {
		const deps = await issuer();
		const body = await readRequest(request, StaffSignInRequestSchema, 2048);
		const now = deps.clock();
		const staffId = await staffSignIn(deps.db, {
			username: body.username,
			password: body.password,
			clientIp: clientAddress(getClientAddress(), request.headers.get('x-forwarded-for'), trustedProxies()),
			nowMs: now
		});
		const { token, expiresAt } = await createSession(deps.db, deps.hmacKey, {
			role: 'staff',
			subject: staffId,
			accountId: null,
			nowMs: now,
			ttlMs: STAFF_SESSION_MS
		});
		cookies.set(SESSION_COOKIE, token, {
			path: '/',
			httpOnly: true,
			secure: !isLoopbackHost(request.headers.get('host')),
			sameSite: 'strict',
			maxAge: STAFF_SESSION_MS / 1000
		});
		return jsonResponse({ expiresAt } satisfies StaffSignInResponse);
	});

/** Who is signed in to the console and with which role (401 if nobody, or not staff): the console's pages ask before showing anything. */
export const GET: RequestHandler = ({ request, cookies }) =>
	respond(async () => {
		const deps = await issuer();
		const s = await requireRole(deps, request, cookies, 'staff');
		const username = await staffUsername(deps.db, s.subject);
		if (!username) throw new DomainError('auth/required');
		return jsonResponse({ username, expiresAt: s.expiresAt, role: s.staffRole } satisfies StaffSession);
	});
