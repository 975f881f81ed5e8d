/**
 * The console's keys page: the trust list as served, a rotation and a compromise behind a typed confirmation
 * (nothing changes when it does not match), each audited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { DomainError } from '../domain-error.js';
import { staffAuditPage } from '../store/staff-audit.js';
import { compromiseFromConsole, listIssuerKeys, rotateFromConsole } from './console-keys.js';
import { addStaff } from './staff.js';

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

describe('issuer keys from the console', () => {
	it('lists the keys as the served trust list has them', async () => {
		const list = await listIssuerKeys(f.deps);
		expect(list.rootHere).toBe(true);
		expect(list.trustListVersion).toBe(1);
		expect(list.keys).toHaveLength(1);
		expect(list.keys[0]).toMatchObject({ region: '440300', status: 'active', signingNow: true, published: true });
		expect(JSON.stringify(list)).not.toMatch(/privateKey|secret/i);
	});

	it('rotates only when the region is typed again; publishes the next key and audits', async () => {
		const before = await listIssuerKeys(f.deps);
		expect(await codeOf(rotateFromConsole(f.deps, admin, { region: '440300', confirm: '440301' }))).toBe('key/confirm-mismatch');
		expect(await codeOf(rotateFromConsole(f.deps, admin, { region: 'x', confirm: 'x' }))).toBe('key/region-invalid');
		expect(await listIssuerKeys(f.deps)).toEqual(before);
		const r = await rotateFromConsole(f.deps, admin, { region: '440300', confirm: '440300' });
		expect(r.previous).toEqual([before.keys[0]!.kid]);
		expect(r.version).toBe(2);
		const after = await listIssuerKeys(f.deps);
		expect(after.trustListVersion).toBe(2);
		expect(after.keys.map((k) => [k.kid, k.signingNow, k.published])).toEqual([
			[r.kid, false, true],
			[before.keys[0]!.kid, true, true]
		]);
		const [row] = await staffAuditPage(f.deps.db, { action: 'key.rotate' }, 5);
		expect([row!.actor, row!.target]).toEqual(['admin.chen', r.kid]);
	});

	it('marks a key compromised only when its kid is typed again; a replacement signs at once; audited', async () => {
		const [key] = (await listIssuerKeys(f.deps)).keys;
		expect(await codeOf(compromiseFromConsole(f.deps, admin, key!.kid, 'yes'))).toBe('key/confirm-mismatch');
		expect(await codeOf(compromiseFromConsole(f.deps, admin, '0000000000000000', '0000000000000000'))).toBe('key/not-found');
		expect((await listIssuerKeys(f.deps)).keys[0]!.status).toBe('active');
		const r = await compromiseFromConsole(f.deps, admin, key!.kid, key!.kid);
		expect(r).toMatchObject({ kid: key!.kid, version: 2, codesRevoked: 0 });
		expect(r.replacement).toMatch(/^[0-9a-f]{16}$/);
		const after = await listIssuerKeys(f.deps);
		expect(after.keys.find((k) => k.kid === key!.kid)).toMatchObject({ status: 'compromised', signingNow: false, published: true });
		expect(after.keys.find((k) => k.kid === r.replacement)).toMatchObject({ status: 'active', signingNow: true });
		const [row] = await staffAuditPage(f.deps.db, { action: 'key.compromise' }, 5);
		expect([row!.actor, row!.target]).toEqual(['admin.chen', key!.kid]);
	});
});
