/**
 * Who is calling: a session from the cookie (residents, staff) or an `Authorization: Bearer` token (guard
 * devices, data sources, scripts). Routes ask for the role they need; anything else is 401.
 *
 * Staff roles are enforced here, centrally (issue 15): every `requireRole(…, 'staff')` needs at least the role
 * the request's method implies (GET / HEAD → viewer, anything else → officer, core/staff-roles.ts), so a route
 * nobody thought about is covered by default; a route that needs more names it (approve / reject → approver;
 * staff, devices, source keys, venues, keys → admin). Too little is 403 `staff/forbidden`.
 */
import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE, findSession, type Role, type Session } from '../auth/session.js';
import type { IssuerDeps } from '../deps.js';
import { residentAccountOfSession } from '../store/sessions.js';
import { keyedHash } from '../secrets.js';
import { DomainError } from '../domain-error.js';
import { activeStaffRole } from '../staff/staff.js';
import { roleAtLeast, roleForMethod, type StaffRole } from '../../core/staff-roles.js';
import { sessionByTokenHmac } from '../store/sessions.js';

export function bearerToken(request: Request): string | undefined {
	const auth = request.headers.get('authorization');
	return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
}

export function bearerOrCookie(request: Request, cookies: Cookies): string | undefined {
	return bearerToken(request) ?? cookies.get(SESSION_COOKIE);
}

/** A staff session with the member's role (read with the account on every request: a change applies at once). */
export interface StaffSessionInfo extends Session {
	staffRole: StaffRole;
}

export async function requireRole(
	deps: IssuerDeps,
	request: Request,
	cookies: Cookies,
	role: 'staff',
	/** more than the method implies (approver, admin); never less */
	atLeast?: StaffRole
): Promise<StaffSessionInfo>;
export async function requireRole(deps: IssuerDeps, request: Request, cookies: Cookies, role: Exclude<Role, 'staff'>): Promise<Session>;
export async function requireRole(
	deps: IssuerDeps,
	request: Request,
	cookies: Cookies,
	role: Role,
	atLeast?: StaffRole
): Promise<Session | StaffSessionInfo> {
	const token = bearerOrCookie(request, cookies);
	const session = await findSession(deps.db, deps.hmacKey, token, deps.clock());
	if (!session || session.role !== role) {
		if (role === 'staff' && token) await refuseEndedStaffSession(deps, token);
		throw new DomainError('auth/required');
	}
	if (role !== 'staff') return session;
	// a disabled account's sessions end at once (disableStaff); this is the second lock
	const staffRole = await activeStaffRole(deps.db, session.subject);
	if (staffRole === 'disabled') throw new DomainError('staff/disabled');
	if (staffRole === null) throw new DomainError('auth/required');
	const need = atLeast && roleAtLeast(atLeast, roleForMethod(request.method)) ? atLeast : roleForMethod(request.method);
	if (!roleAtLeast(staffRole, need)) throw new DomainError('staff/forbidden', { params: { role: staffRole, need } });
	return { ...session, staffRole };
}

/** A staff token whose session was ended because its account was disabled: say so (an open tab shows why). */
async function refuseEndedStaffSession(deps: IssuerDeps, token: string): Promise<void> {
	if (token.length > 100) return;
	const row = await sessionByTokenHmac(deps.db, keyedHash(deps.hmacKey, 'session', token));
	if (row?.role === 'staff' && (await activeStaffRole(deps.db, row.subject)) === 'disabled') throw new DomainError('staff/disabled');
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
