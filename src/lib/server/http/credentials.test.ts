/**
 * Credentials have a lifecycle (issue: colour integrity): disabling a staff account ends its sessions at once (and a
 * session that somehow survived is refused), a revoked guard device's uploads are refused with `device/revoked`, a
 * revoked source key's pushes with `source/revoked` — each at once, in the next request.
 */
import type { Cookies } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { createSession } from '../auth/session.js';
import { DomainError } from '../domain-error.js';
import { requireRole } from './guard.js';
import { addVenue, enrolGuard, guardForToken, revokeGuard } from '../scans/guards.js';
import { addSourceKey, listSourceKeys, requireSource, revokeSourceKey } from '../sources/sources.js';
import { insertSession } from '../store/sessions.js';
import { keyedHash } from '../secrets.js';
import { addStaff, disableStaff } from '../staff/staff.js';
import { listCredentials, revokeCredential } from '../staff/credentials.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const noCookies = { get: () => undefined } as unknown as Cookies;
const bearer = (token: string) => new Request('http://x/api/v1/console/venues', { headers: { authorization: `Bearer ${token}` } });
const codeOf = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e: unknown) => (e instanceof DomainError ? e.code : String(e))
	);

describe('credential lifecycle', () => {
	it('disabling a staff account ends its sessions at once; a surviving session is refused too', async () => {
		const id = await addStaff(f.deps.db, 'officer.wang', 'correct horse battery', f.clock.now);
		const { token } = await createSession(f.deps.db, f.deps.hmacKey, {
			role: 'staff',
			subject: id,
			accountId: null,
			nowMs: f.clock.now,
			ttlMs: 3_600_000
		});
		expect(await codeOf(requireRole(f.deps, bearer(token), noCookies, 'staff'))).toBe('ok');

		expect(await disableStaff(f.deps.db, 'officer.wang', f.clock.now)).toBe(1);
		// the open tab is told why (issue 15): its session ended because the account was disabled
		expect(await codeOf(requireRole(f.deps, bearer(token), noCookies, 'staff'))).toBe('staff/disabled');

		// a session row written after the disable (a race, a restored backup): the account check refuses it
		await insertSession(f.deps.db, {
			token_hmac: keyedHash(f.deps.hmacKey, 'session', 'late-token'),
			account_id: null,
			role: 'staff',
			subject: id,
			created_at: f.clock.now,
			expires_at: f.clock.now + 3_600_000,
			last_seen_at: f.clock.now
		});
		expect(await codeOf(requireRole(f.deps, bearer('late-token'), noCookies, 'staff'))).toBe('staff/disabled');
		await expect(disableStaff(f.deps.db, 'nobody', f.clock.now)).rejects.toThrow(RangeError);
	});

	it('a revoked guard device is told so: its token answers revoked, not unknown', async () => {
		const venue = await addVenue(f.deps.db, { name: '南山图书馆', region: '440305', policy: 'green-only', nowMs: f.clock.now });
		const { deviceId, token } = await enrolGuard(f.deps.db, f.deps.hmacKey, venue, f.clock.now);
		expect(await guardForToken(f.deps.db, f.deps.hmacKey, token)).toMatchObject({ id: deviceId });
		await revokeGuard(f.deps.db, deviceId, f.clock.now);
		expect(await guardForToken(f.deps.db, f.deps.hmacKey, token)).toBe('revoked');
		expect(await guardForToken(f.deps.db, f.deps.hmacKey, 'never-issued')).toBeNull();
		await expect(revokeGuard(f.deps.db, 'nope', f.clock.now)).rejects.toThrow(RangeError);
	});

	it('a revoked source key is refused with source/revoked; other keys keep working', async () => {
		const a = await addSourceKey(f.deps.db, f.deps.hmacKey, 'health', f.clock.now);
		const b = await addSourceKey(f.deps.db, f.deps.hmacKey, 'health', f.clock.now + 1);
		const [first] = await listSourceKeys(f.deps.db);
		expect(await codeOf(requireSource(f.deps.db, f.deps.hmacKey, a, 'health'))).toBe('ok');
		await revokeSourceKey(f.deps.db, first!.id, f.clock.now);
		expect(await codeOf(requireSource(f.deps.db, f.deps.hmacKey, a, 'health'))).toBe('source/revoked');
		expect(await codeOf(requireSource(f.deps.db, f.deps.hmacKey, b, 'health'))).toBe('ok');
		expect((await listSourceKeys(f.deps.db)).map((k) => k.revoked_at !== null)).toEqual([true, false]);
	});

	it('the console lists guard devices and source keys and revokes them, attributed to the staff member', async () => {
		const staffId = await addStaff(f.deps.db, 'officer.li', 'correct horse battery', f.clock.now);
		const venue = await addVenue(f.deps.db, { name: '南山图书馆', region: '440305', policy: 'green-only', nowMs: f.clock.now });
		const { deviceId, token } = await enrolGuard(f.deps.db, f.deps.hmacKey, venue, f.clock.now);
		const apiKey = await addSourceKey(f.deps.db, f.deps.hmacKey, 'carrier', f.clock.now);
		const before = await listCredentials(f.deps);
		expect(before.guards).toEqual([
			{
				id: deviceId,
				venueId: venue,
				venueName: '南山图书馆',
				enrolledAt: f.clock.now,
				lastSyncAt: null,
				status: 'active',
				revokedAt: null,
				revokedBy: null
			}
		]);
		expect(before.sourceKeys).toMatchObject([{ source: 'carrier', status: 'active', revokedBy: null }]);
		expect(JSON.stringify(before)).not.toContain(token);
		expect(JSON.stringify(before)).not.toContain(apiKey);

		f.clock.now += 60_000;
		expect(await revokeCredential(f.deps, 'guard', deviceId, staffId)).toEqual({ id: deviceId, revokedAt: f.clock.now });
		const keyId = before.sourceKeys[0]!.id;
		expect(await revokeCredential(f.deps, 'source-key', keyId, staffId)).toEqual({ id: keyId, revokedAt: f.clock.now });
		expect(await guardForToken(f.deps.db, f.deps.hmacKey, token)).toBe('revoked');
		expect(await codeOf(requireSource(f.deps.db, f.deps.hmacKey, apiKey, 'carrier'))).toBe('source/revoked');

		// revoking again keeps the first time and actor
		f.clock.now += 60_000;
		expect((await revokeCredential(f.deps, 'guard', deviceId, 'someone-else')).revokedAt).toBe(f.clock.now - 60_000);
		const after = await listCredentials(f.deps);
		expect(after.guards[0]).toMatchObject({ status: 'revoked', revokedAt: f.clock.now - 60_000, revokedBy: 'officer.li' });
		expect(after.sourceKeys[0]).toMatchObject({ status: 'revoked', revokedBy: 'officer.li' });
		// the CLI's revocations say so
		const other = await addSourceKey(f.deps.db, f.deps.hmacKey, 'health', f.clock.now);
		await revokeSourceKey(f.deps.db, (await listSourceKeys(f.deps.db))[1]!.id, f.clock.now);
		expect((await listCredentials(f.deps)).sourceKeys[1]).toMatchObject({ revokedBy: 'cli' });
		expect(other).toBeTruthy();
		expect(await codeOf(revokeCredential(f.deps, 'guard', 'nope', staffId))).toBe('credential/not-found');
		expect(await codeOf(revokeCredential(f.deps, 'source-key', 'nope', staffId))).toBe('credential/not-found');
	});
});
