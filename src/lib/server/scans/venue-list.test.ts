import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../core/bytes.js';
import { insertVenueIfAbsent } from '../store/venues.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { guardEnrolmentCode } from './enrolment-code.js';
import { guardForToken } from './guards.js';
import { listVenues } from './venue-list.js';

/** The demo's four venues (src/demo/seed-venues.ts), one per entry policy; the server's tests do not import src/demo. */
const VENUES = [
	{ id: 'demo-library', name: '南山图书馆 Nanshan Library', region: '440305', policy: 'green-only' },
	{ id: 'demo-hospital', name: '福田医院 Futian Hospital', region: '440304', policy: 'green-negative-48h' },
	{ id: 'demo-station', name: '深圳北站 Shenzhen North Station', region: '440309', policy: 'green-negative-72h' },
	{ id: 'demo-market', name: "宝安市场 Bao'an Market", region: '440306', policy: 'yellow-with-registration' }
] as const;

let f: IssuerFixture;
beforeEach(async () => {
	f = await issuerFixture();
	for (const v of VENUES)
		await insertVenueIfAbsent(f.deps.db, {
			id: v.id,
			name: v.name,
			region: v.region,
			policy_json: JSON.stringify({ policy: v.policy }),
			created_at: f.clock.now
		});
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
});
