import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staffSignIn, staffUsername } from '../lib/server/staff/staff.js';
import { issuerFixture, type IssuerFixture } from '../lib/testing/issuer-fixture.js';
import { seedDemoStaff, DEMO_APPROVER, DEMO_STAFF } from './seed-staff.js';

let f: IssuerFixture;
beforeEach(async () => {
	f = await issuerFixture();
});
afterEach(() => f.close());

describe('demo console account', () => {
	it('demo staff accounts (staff and approver): created once, signs in with the printed password', async () => {
		await seedDemoStaff(f.deps.db, f.clock.now);
		await seedDemoStaff(f.deps.db, f.clock.now);
		// roles (migration 027): the demo's main account manages everything, the approver approves
		expect(await f.deps.db.selectFrom('staff').select(['username', 'role']).orderBy('username').execute()).toEqual([
			{ username: DEMO_APPROVER.username, role: 'approver' },
			{ username: DEMO_STAFF.username, role: 'admin' }
		]);
		// the second account, so a demo proposal can be approved by someone other than its proposer
		const approver = await staffSignIn(f.deps.db, {
			username: DEMO_APPROVER.username,
			password: DEMO_APPROVER.password,
			clientIp: '127.0.0.1',
			nowMs: f.clock.now
		});
		expect(await staffUsername(f.deps.db, approver)).toBe(DEMO_APPROVER.username);
		const id = await staffSignIn(f.deps.db, {
			username: DEMO_STAFF.username,
			password: DEMO_STAFF.password,
			clientIp: '127.0.0.1',
			nowMs: f.clock.now
		});
		expect(await staffUsername(f.deps.db, id)).toBe(DEMO_STAFF.username);
		await expect(
			staffSignIn(f.deps.db, { username: DEMO_STAFF.username, password: 'wrong password!', clientIp: '127.0.0.1', nowMs: f.clock.now })
		).rejects.toMatchObject({ code: 'staff/invalid' });
	});
});
