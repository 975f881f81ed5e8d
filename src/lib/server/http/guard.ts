/**
 * Who is calling: a session from the cookie (residents, staff) or an `Authorization: Bearer` token (guard
 * devices, data sources, scripts). Routes ask for the role they need; anything else is 401.
 */
import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE, findSession, type Role, type Session } from '../auth/session.js';
import type { IssuerDeps } from '../deps.js';
import { residentAccountOfSession } from '../store/sessions.js';
import { keyedHash } from '../secrets.js';
import { DomainError } from '../domain-error.js';
import { isActiveStaff } from '../staff/staff.js';

export function bearerToken(request: Request): string | undefined {
	const auth = request.headers.get('authorization');
	return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
}

export function bearerOrCookie(request: Request, cookies: Cookies): string | undefined {
	return bearerToken(request) ?? cookies.get(SESSION_COOKIE);
}

export async function requireRole(deps: IssuerDeps, request: Request, cookies: Cookies, role: Role): Promise<Session> {
	const session = await findSession(deps.db, deps.hmacKey, bearerOrCookie(request, cookies), deps.clock());
	if (!session || session.role !== role) throw new DomainError('auth/required');
	// a disabled staff account's sessions are deleted at once (disableStaff); this is the second lock
	if (role === 'staff' && !(await isActiveStaff(deps.db, session.subject))) throw new DomainError('auth/required');
	return session;
}

export interface ResidentAccount {
	id: string;
	/** keyedHash(hmacKey, 'phone', phone): the account's phone is never held in clear */
	phone_hmac: string;
	device_key: string | null;
	/** accounts.codes_version (issuer/codes-etag.ts), read in the same statement as the session. */
	codes_version: number;
}

/** A live resident session's account, in one `sessions ⋈ accounts` statement; 401 otherwise. */
export async function requireResident(deps: IssuerDeps, request: Request, cookies: Cookies): Promise<ResidentAccount> {
	const token = bearerOrCookie(request, cookies);
	const account =
		token && token.length <= 100
			? await residentAccountOfSession(deps.db, keyedHash(deps.hmacKey, 'session', token), deps.clock())
			: undefined;
	if (!account) throw new DomainError('auth/required');
	return account;
}
