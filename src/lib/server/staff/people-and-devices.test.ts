/**
 * The console's people and devices (issue 15): staff accounts added with a role (first password shown once),
 * roles changed and accounts disabled — never one's own — venues added and edited, guard phones enrolled and
 * source keys added; each change leaves its staff_audit row.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { createSession, findSession } from '../auth/session.js';
import { DomainError } from '../domain-error.js';
import { guardForToken } from '../scans/guards.js';
import { listVenues } from '../scans/venue-list.js';
import { requireSource } from '../sources/sources.js';
import { staffAuditPage } from '../store/staff-audit.js';
import { addSourceKeyFromConsole, addVenueFromConsole, editVenue, enrolGuardFromConsole } from './devices.js';
import { addStaffAccount, changeStaffRole, disableStaffAccount, listStaffAccounts } from './staff-accounts.js';
import { addStaff, staffSignIn } from './staff.js';

let f: IssuerFixture;
let admin: string;
beforeEach(async () => {
	f = await issuerFixture();
	admin = await addStaff(f.deps.db, 'admin.chen', 'correct horse battery', f.clock.now, 'admin');
});
afterEach(() => f.close());

const codeOf = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e: unknown) => (e instanceof DomainError ? e.code : String(e))
	);
const audit = async () => (await staffAuditPage(f.deps.db, {}, 50)).map((r) => [r.actor, r.action, r.target]);

describe('staff accounts from the console', () => {
	it('adds an account with a role; its password (shown once) signs in; the list shows it', async () => {
		const added = await addStaffAccount(f.deps, admin, { username: 'officer.he', role: 'approver' });
		expect(added).toMatchObject({ username: 'officer.he', role: 'approver' });
		expect(added.password.length).toBeGreaterThanOrEqual(12);
		const id = await staffSignIn(f.deps.db, { username: 'officer.he', password: added.password, clientIp: '1', nowMs: f.clock.now });
		expect(id).toBeTruthy();
		expect((await listStaffAccounts(f.deps)).map((a) => [a.username, a.role, a.disabledAt])).toEqual([
			['admin.chen', 'admin', null],
			['officer.he', 'approver', null]
		]);
		expect(JSON.stringify(await listStaffAccounts(f.deps))).not.toContain('scrypt');
		expect(await audit()).toEqual([['admin.chen', 'staff.add', 'officer.he']]);
	});

	it('refuses a bad username, a taken one and an unknown role, with their codes', async () => {
		expect(await codeOf(addStaffAccount(f.deps, admin, { username: 'X y', role: 'officer' }))).toBe('staff/username-invalid');
		expect(await codeOf(addStaffAccount(f.deps, admin, { username: 'admin.chen', role: 'officer' }))).toBe('staff/username-taken');
		expect(await codeOf(addStaffAccount(f.deps, admin, { username: 'new.one', role: 'root' }))).toBe('staff/role-invalid');
		expect(await codeOf(changeStaffRole(f.deps, admin, 'nobody.here', 'viewer'))).toBe('staff/not-found');
		expect(await audit()).toEqual([]);
	});

	it('changes a role (audited with from and to); never one’s own', async () => {
		await addStaffAccount(f.deps, admin, { username: 'officer.he', role: 'officer' });
		expect(await changeStaffRole(f.deps, admin, 'officer.he', 'viewer')).toMatchObject({ username: 'officer.he', role: 'viewer' });
		expect(await codeOf(changeStaffRole(f.deps, admin, 'admin.chen', 'viewer'))).toBe('staff/self');
		const [row] = await staffAuditPage(f.deps.db, { action: 'staff.role' }, 5);
		expect(JSON.parse(row!.detail_json!)).toEqual({ from: 'officer', to: 'viewer' });
	});

	it('disabling ends the member’s sessions at once and is audited; not one’s own', async () => {
		const id = await addStaff(f.deps.db, 'officer.ma', 'correct horse battery', f.clock.now, 'officer');
		const s = await createSession(f.deps.db, f.deps.hmacKey, {
			role: 'staff',
			subject: id,
			accountId: null,
			nowMs: f.clock.now,
			ttlMs: 3_600_000
		});
		expect((await listStaffAccounts(f.deps)).find((a) => a.username === 'officer.ma')?.openSessions).toBe(1);
		expect(await disableStaffAccount(f.deps, admin, 'officer.ma')).toEqual({
			username: 'officer.ma',
			disabledAt: f.clock.now,
			sessionsEnded: 1
		});
		expect(await findSession(f.deps.db, f.deps.hmacKey, s.token, f.clock.now)).toBeNull();
		expect((await listStaffAccounts(f.deps)).find((a) => a.username === 'officer.ma')).toMatchObject({
			disabledAt: f.clock.now,
			openSessions: 0
		});
		expect(await codeOf(disableStaffAccount(f.deps, admin, 'admin.chen'))).toBe('staff/self');
		expect(await codeOf(disableStaffAccount(f.deps, admin, 'nobody.here'))).toBe('staff/not-found');
		const [row] = await staffAuditPage(f.deps.db, { action: 'staff.disable' }, 5);
		expect([row!.actor, row!.target, JSON.parse(row!.detail_json!)]).toEqual(['admin.chen', 'officer.ma', { sessionsEnded: 1 }]);
	});
});

describe('venues, guard phones and source keys from the console', () => {
	it('adds and edits a venue (name, kind, policy), audited; bad input is venue/invalid', async () => {
		const v = await addVenueFromConsole(f.deps, admin, { name: ' 福田菜市场 ', region: '440304', kind: 'market', policy: 'green-only' });
		expect(v).toMatchObject({ name: '福田菜市场', region: '440304', kind: 'market', policy: 'green-only' });
		const e = await editVenue(f.deps, admin, v.id, { name: '福田市场', kind: 'market', policy: 'green-negative-48h' });
		expect(e).toEqual({ id: v.id, name: '福田市场', region: '440304', kind: 'market', policy: 'green-negative-48h' });
		expect((await listVenues(f.deps.db)).find((x) => x.id === v.id)).toMatchObject({
			name: '福田市场',
			kind: 'market',
			policy: 'green-negative-48h'
		});
		for (const bad of [
			{ name: '', kind: 'market', policy: 'green-only' },
			{ name: 'x'.repeat(61), kind: 'market', policy: 'green-only' },
			{ name: 'ok', kind: 'castle', policy: 'green-only' },
			{ name: 'ok', kind: 'market', policy: 'anyone' }
		])
			expect(await codeOf(editVenue(f.deps, admin, v.id, bad)), JSON.stringify(bad)).toBe('venue/invalid');
		// every bad field is named, in both languages
		const refused = await addVenueFromConsole(f.deps, admin, { name: '', region: '44', kind: 'market', policy: 'anyone' }).catch(
			(x: unknown) => x
		);
		expect(refused).toBeInstanceOf(DomainError);
		expect((refused as DomainError).code).toBe('venue/invalid');
		expect((refused as DomainError).errors?.map((x) => [x.field, x.code, x.message.en])).toEqual([
			['name', 'venue/name', 'the name must be 1–60 characters'],
			['region', 'venue/region', 'the region must be a six-digit GB/T 2260 code'],
			['policy', 'venue/policy', 'the entry policy must be one from the list']
		]);
		expect(await codeOf(editVenue(f.deps, admin, 'no-such-venue', { name: 'ok', kind: 'market', policy: 'green-only' }))).toBe(
			'venue/not-found'
		);
		expect(await audit()).toEqual([
			['admin.chen', 'venue.edit', v.id],
			['admin.chen', 'venue.add', v.id]
		]);
	});

	it('enrols a guard phone (audited) whose token works; an unknown venue is venue/not-found', async () => {
		const v = await addVenueFromConsole(f.deps, admin, { name: '南山站', region: '440305', kind: 'transport', policy: 'green-only' });
		const enrolment = await enrolGuardFromConsole(f.deps, admin, v.id);
		expect(enrolment.code.startsWith('TXE1:')).toBe(true);
		expect(await guardForToken(f.deps.db, f.deps.hmacKey, enrolment.token)).toMatchObject({ id: enrolment.deviceId });
		expect(await codeOf(enrolGuardFromConsole(f.deps, admin, 'nope'))).toBe('venue/not-found');
		expect((await audit())[0]).toEqual(['admin.chen', 'device.enrol', enrolment.deviceId]);
	});

	it('adds a source key shown once (its pushes are accepted); an unknown source is source/unknown', async () => {
		const k = await addSourceKeyFromConsole(f.deps, admin, 'carrier');
		expect(k.apiKey.startsWith('txs_')).toBe(true);
		expect(await codeOf(requireSource(f.deps.db, f.deps.hmacKey, k.apiKey, 'carrier'))).toBe('ok');
		expect(await codeOf(addSourceKeyFromConsole(f.deps, admin, 'weather'))).toBe('source/unknown');
		expect(await audit()).toEqual([['admin.chen', 'source-key.add', k.id]]);
	});
});
