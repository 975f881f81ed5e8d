import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../core/bytes.js';
import { seedDemoStaff, DEMO_STAFF } from '../demo/seed-staff.js';
import { seedDemoVenues } from '../demo/seed-venues.js';
import { staffSignIn, staffUsername } from '../staff/staff.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { guardEnrolmentCode } from './enrolment-code.js';
import { guardForToken } from './guards.js';
import { listVenues } from './venue-list.js';

let f: IssuerFixture;
beforeEach(async () => {
	f = await issuerFixture();
	await seedDemoVenues(f.deps.db, f.clock.now);
});
afterEach(() => f.close());

describe('console venues', () => {
	it('lists every venue with its live guard count; an enrolment code decodes to a working device token', async () => {
		const before = await listVenues(f.deps.db);
		expect(before.map((v) => [v.id, v.policy, v.guards])).toEqual([
			['demo-hospital', 'green-negative-48h', 0],
			['demo-library', 'green-only', 0],
			['demo-market', 'yellow-with-registration', 0],
			['demo-station', 'green-negative-72h', 0]
		]);
		const e = await guardEnrolmentCode(f.deps.db, f.deps.hmacKey, f.deps.dataDir, 'demo-library', f.clock.now);
		await guardEnrolmentCode(f.deps.db, f.deps.hmacKey, f.deps.dataDir, 'demo-library', f.clock.now);
		expect(e.code.startsWith('TXE1:')).toBe(true);
		const decoded = JSON.parse(new TextDecoder().decode(fromBase64Url(e.code.slice(5))!)) as Record<string, unknown>;
		const { code: _code, ...rest } = e;
		expect(decoded).toEqual(rest);
		expect(typeof decoded.rootPublicKey).toBe('string');
		expect(await guardForToken(f.deps.db, f.deps.hmacKey, e.token)).toEqual({ id: e.deviceId, venue_id: 'demo-library' });
		// a revoked device no longer counts
		await f.deps.db.updateTable('guard_devices').set({ revoked_at: f.clock.now }).where('id', '=', e.deviceId).execute();
		expect((await listVenues(f.deps.db)).find((v) => v.id === 'demo-library')?.guards).toBe(1);
		await expect(guardEnrolmentCode(f.deps.db, f.deps.hmacKey, f.deps.dataDir, 'no-such-venue', f.clock.now)).rejects.toThrow(RangeError);
	});

	it('demo staff account: created once, signs in with the printed password', async () => {
		await seedDemoStaff(f.deps.db, f.clock.now);
		await seedDemoStaff(f.deps.db, f.clock.now);
		expect((await f.deps.db.selectFrom('staff').select('username').execute()).map((r) => r.username)).toEqual([DEMO_STAFF.username]);
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
