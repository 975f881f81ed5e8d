/**
 * Staff roles, enforced centrally by requireRole (issue 15, "People and devices"): the method sets the floor
 * (GET → viewer, anything else → officer), a route may ask for more (approver, admin), never less; a role change
 * applies from the next request; a disabled member's open session is refused with `staff/disabled`.
 */
import type { Cookies } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAFF_ROLES, type StaffRole } from '../../core/staff-roles.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { createSession } from '../auth/session.js';
import { DomainError } from '../domain-error.js';
import { addStaff, disableStaff } from '../staff/staff.js';
import { setStaffRole } from '../store/staff.js';
import { requireRole } from './guard.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const noCookies = { get: () => undefined } as unknown as Cookies;
const req = (method: string, token: string) =>
	new Request('http://x/api/v1/console/anything', { method, headers: { authorization: `Bearer ${token}` } });
const outcome = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e: unknown) => (e instanceof DomainError ? e.code : String(e))
	);

async function member(username: string, role: StaffRole): Promise<string> {
	const id = await addStaff(f.deps.db, username, 'correct horse battery', f.clock.now, role);
	const { token } = await createSession(f.deps.db, f.deps.hmacKey, {
		role: 'staff',
		subject: id,
		accountId: null,
		nowMs: f.clock.now,
		ttlMs: 3_600_000
	});
	return token;
}

describe('requireRole: staff roles by method, and what a route asks for', () => {
	it('the role matrix', async () => {
		// [method, what the route asks for] → the roles let through
		const cases: [string, StaffRole | undefined, StaffRole[]][] = [
			['GET', undefined, ['viewer', 'officer', 'approver', 'admin']],
			['HEAD', undefined, ['viewer', 'officer', 'approver', 'admin']],
			['POST', undefined, ['officer', 'approver', 'admin']],
			['PUT', undefined, ['officer', 'approver', 'admin']],
			['DELETE', undefined, ['officer', 'approver', 'admin']],
			['POST', 'approver', ['approver', 'admin']],
			['POST', 'admin', ['admin']],
			['GET', 'admin', ['admin']],
			// a route cannot ask for less than its method implies
			['POST', 'viewer', ['officer', 'approver', 'admin']]
		];
		const tokens = Object.fromEntries(await Promise.all(STAFF_ROLES.map(async (r) => [r, await member(`m.${r}`, r)] as const)));
		for (const [method, atLeast, allowed] of cases)
			for (const role of STAFF_ROLES) {
				const got = await outcome(requireRole(f.deps, req(method, tokens[role]!), noCookies, 'staff', atLeast));
				expect(got, `${role} ${method} ${atLeast ?? '(default)'}`).toBe(allowed.includes(role) ? 'ok' : 'staff/forbidden');
			}
	});

	it('forbidden names the role and what was needed; a session answers with the role', async () => {
		const token = await member('reader.li', 'viewer');
		const e = await requireRole(f.deps, req('POST', token), noCookies, 'staff', 'admin').catch((x: unknown) => x);
		expect(e).toBeInstanceOf(DomainError);
		expect((e as DomainError).params).toEqual({ role: 'viewer', need: 'admin' });
		expect((await requireRole(f.deps, req('GET', token), noCookies, 'staff')).staffRole).toBe('viewer');
	});

	it('a role change applies from the next request', async () => {
		const token = await member('officer.wu', 'officer');
		expect(await outcome(requireRole(f.deps, req('POST', token), noCookies, 'staff'))).toBe('ok');
		await setStaffRole(f.deps.db, 'officer.wu', 'viewer');
		expect(await outcome(requireRole(f.deps, req('POST', token), noCookies, 'staff'))).toBe('staff/forbidden');
		expect(await outcome(requireRole(f.deps, req('GET', token), noCookies, 'staff'))).toBe('ok');
		await setStaffRole(f.deps.db, 'officer.wu', 'admin');
		expect(await outcome(requireRole(f.deps, req('POST', token), noCookies, 'staff', 'admin'))).toBe('ok');
	});

	it('a disabled member: the open session is refused with staff/disabled, a made-up token with auth/required', async () => {
		const token = await member('officer.zhao', 'admin');
		expect(await disableStaff(f.deps.db, 'officer.zhao', f.clock.now)).toBe(1);
		expect(await outcome(requireRole(f.deps, req('GET', token), noCookies, 'staff'))).toBe('staff/disabled');
		expect(await outcome(requireRole(f.deps, req('GET', 'never-issued'), noCookies, 'staff'))).toBe('auth/required');
		// other members are untouched
		const other = await member('officer.qian', 'viewer');
		expect(await outcome(requireRole(f.deps, req('GET', other), noCookies, 'staff'))).toBe('ok');
	});

	it('an unknown role value in the table reads as viewer, never more', async () => {
		const token = await member('odd.one', 'admin');
		await setStaffRole(f.deps.db, 'odd.one', 'superuser');
		expect(await outcome(requireRole(f.deps, req('GET', token), noCookies, 'staff'))).toBe('ok');
		expect(await outcome(requireRole(f.deps, req('POST', token), noCookies, 'staff'))).toBe('staff/forbidden');
	});
});
