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
		expect(await codeOf(requireRole(f.deps, bearer(token), noCookies, 'staff'))).toBe('auth/required');

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
		expect(await codeOf(requireRole(f.deps, bearer('late-token'), noCookies, 'staff'))).toBe('auth/required');
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
});
