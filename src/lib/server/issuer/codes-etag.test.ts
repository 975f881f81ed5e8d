/**
 * The GET /api/v1/me/codes ETag and its one-statement 304 path (codes-etag.ts): the ETag changes whenever a code
 * of the account or of its members changes — issue, top-up, member added / removed, re-issue after a key
 * compromise, a recolouring, a new device — and stays equal otherwise; a conditional request with the old ETag
 * then takes the full path. An ended, expired or non-resident session, or another account's session, never gets
 * a 304.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../core/bytes.js';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { createSession, endSession, RESIDENT_SESSION_MS, type Role } from '../auth/session.js';
import { compromiseKey } from '../keys/rotate.js';
import { accountForPhone } from './accounts.js';
import { issue } from '../issuance/issue.js';
import { codesEtag, notModified } from './codes-etag.js';
import { submitDeclaration } from './declare.js';
import { supersedeDeviceCodes } from './device.js';
import { removeMember } from './members.js';
import { linkMemberByStaff } from '../../testing/member-link.js';
import { myCodes } from './my-codes.js';
import { reissueCodesOfKey } from './reissue.js';
import { setDeviceKey } from '../store/accounts.js';
import { codesVersion } from '../store/codes-version.js';
import { livePerson } from '../store/people.js';

let f: IssuerFixture;
const device = tweetnaclKeyPair(new Uint8Array(32).fill(8));
const PHONE = '13700137000';
const HOUR = 3_600_000;
const self = {
	name: '王芳',
	idType: 'resident',
	idNumber: '440306197805207892',
	phone: PHONE,
	region: '440306',
	addressDetail: '1 栋',
	temperature: 36.5,
	symptoms: ['none'],
	travel: []
};
const member = { name: '王秀英', idNumber: '440306195002142344' };

beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

async function resident(phone = PHONE, withDevice = true) {
	const id = await accountForPhone(f.deps, phone, f.clock.now);
	if (withDevice) await setDeviceKey(f.deps.db, id, toBase64Url(device.publicKey));
	const { token } = await session(id);
	return { id, phone, token };
}

const session = (accountId: string, role: Role = 'resident', ttlMs = RESIDENT_SESSION_MS) =>
	createSession(f.deps.db, f.deps.hmacKey, { role, subject: accountId, accountId, nowMs: f.clock.now, ttlMs });

const etagOf = async (accountId: string) => (await myCodes(f.deps, accountId)).etag;
const fast = (token: string | undefined, etag: string | null) => notModified(f.deps.db, f.deps.hmacKey, token, etag, f.clock.now);

/** The ETag before and after `change`; checks the old one no longer gets a 304 and the new one does. */
async function across(a: { id: string; token: string }, change: () => Promise<unknown>): Promise<[string, string]> {
	const before = await etagOf(a.id);
	expect(await fast(a.token, before)).toBe(before);
	await change();
	expect(await fast(a.token, before)).toBeNull();
	const after = await etagOf(a.id);
	expect(after).not.toBe(before);
	expect(await fast(a.token, after)).toBe(after);
	return [before, after];
}

describe('the /me/codes ETag', () => {
	it('stays equal while nothing changes, and the fast path answers it', async () => {
		const a = await resident();
		await submitDeclaration(f.deps, a, self);
		const e1 = await etagOf(a.id);
		f.clock.now += 10 * 60_000;
		expect(await etagOf(a.id)).toBe(e1);
		expect(await fast(a.token, e1)).toBe(e1);
		expect(await fast(a.token, e1.slice(0, -2) + (e1.at(-2) === 'x' ? 'y' : 'x') + '"')).toBeNull(); // a forged MAC
		const [version, until] = e1.slice(1).split('.');
		expect(await fast(a.token, codesEtag(new Uint8Array(32), a.id, Number(version), parseInt(until!, 36)))).toBeNull(); // another key
		expect(await fast(a.token, null)).toBeNull();
		expect(await fast(a.token, 'W/' + e1)).toBeNull();
	});

	it('changes with a declaration (codes issued) and with a pending one (status shown, no codes)', async () => {
		const a = await resident();
		await across(a, () => submitDeclaration(f.deps, a, self));
		f.clock.now += 60_000;
		await across(a, () => submitDeclaration(f.deps, a, { ...self, temperature: 38.4 })); // recoloured yellow
	});

	it('changes when a top-up falls due and when a code expires, by time alone', async () => {
		const a = await resident();
		await submitDeclaration(f.deps, a, self);
		const { people, etag } = await myCodes(f.deps, a.id);
		const [current, next] = people[0]!.codes;
		// The current code expires: it leaves the list (no write happens).
		f.clock.now = current!.exp - 1;
		expect(await fast(a.token, etag)).toBe(etag);
		f.clock.now = current!.exp;
		expect(await fast(a.token, etag)).toBeNull();
		const afterExpiry = await myCodes(f.deps, a.id);
		expect(afterExpiry.people[0]!.codes.map((c) => c.codeId)).toEqual([next!.codeId]);
		expect(afterExpiry.etag).not.toBe(etag);
		// The next code nears its end: a top-up is due.
		f.clock.now = next!.exp - HOUR - 1;
		expect(await fast(a.token, afterExpiry.etag)).toBe(afterExpiry.etag);
		f.clock.now = next!.exp - HOUR;
		expect(await fast(a.token, afterExpiry.etag)).toBeNull();
		const topped = await myCodes(f.deps, a.id);
		expect(topped.people[0]!.codes.map((c) => c.codeId)).not.toContain(next!.codeId); // superseded by the new pair
		expect(topped.people[0]!.codes).toHaveLength(2);
		expect(topped.etag).not.toBe(afterExpiry.etag);
		expect(await fast(a.token, topped.etag)).toBe(topped.etag);
	});

	it('changes when a member is added or removed', async () => {
		const a = await resident();
		await submitDeclaration(f.deps, a, self);
		let personId = '';
		await across(a, async () => (personId = (await linkMemberByStaff(f.deps, a.id, member)).personId));
		await across(a, () => removeMember(f.deps, a.id, personId));
	});

	it('changes when a member is added to or removed from an account without a device (no codes, one person more or less)', async () => {
		const a = await resident(PHONE, false);
		await submitDeclaration(f.deps, a, self);
		let personId = '';
		await across(a, async () => (personId = (await linkMemberByStaff(f.deps, a.id, member)).personId));
		await across(a, () => removeMember(f.deps, a.id, personId));
	});

	it('changes for the holder when a member’s codes are recoloured (the issuance pipeline)', async () => {
		const a = await resident();
		await submitDeclaration(f.deps, a, self);
		const { personId } = await linkMemberByStaff(f.deps, a.id, member);
		const person = (await livePerson(f.deps.db, personId))!;
		const red = {
			colour: 'red' as const,
			reasons: ['confirmed-case' as never],
			auditReasons: ['confirmed-case'],
			ruleVersion: 'test',
			facts: null,
			actor: 'staff/test'
		};
		await across(a, () =>
			f.deps.db
				.transaction()
				.execute((tx) => issue(f.deps, tx, person, red, { holder: { deviceKey: toBase64Url(device.publicKey), proxyName: '王*' } }))
		);
	});

	it('changes for every affected account when a key is compromised and codes are re-issued; not for others', async () => {
		const a = await resident();
		await submitDeclaration(f.deps, a, self);
		const b = await resident('13800138000', false); // no device: holds no code of that key
		const bEtag = await etagOf(b.id);
		const kid = f.deps.keys.activeIssuer('440300', Math.floor(f.clock.now / 1000))!.kid;
		await across(a, async () => {
			await compromiseKey(f.deps.keys, f.deps.dataDir, { kid, nowSec: Math.floor(f.clock.now / 1000) });
			await reissueCodesOfKey(f.deps, kid);
		});
		expect(await fast(b.token, bEtag)).toBe(bEtag);
		const codes = (await myCodes(f.deps, a.id)).people[0]!.codes;
		expect(codes.length).toBeGreaterThan(0);
	});

	it('changes when the device is replaced (its codes revoked)', async () => {
		const a = await resident();
		await submitDeclaration(f.deps, a, self);
		await across(a, () =>
			f.deps.db.transaction().execute(async (tx) => {
				await setDeviceKey(tx, a.id, toBase64Url(tweetnaclKeyPair(new Uint8Array(32).fill(3)).publicKey));
				await supersedeDeviceCodes(f.deps, tx, a.id);
			})
		);
	});
});

describe('the 304 fast path', () => {
	it('never answers an ended, expired, non-resident or foreign session', async () => {
		const a = await resident();
		await submitDeclaration(f.deps, a, self);
		const etag = await etagOf(a.id);
		expect(await fast(a.token, etag)).toBe(etag);
		await endSession(f.deps.db, f.deps.hmacKey, a.token); // signed out
		expect(await fast(a.token, etag)).toBeNull();

		const short = await session(a.id, 'resident', 60_000);
		expect(await fast(short.token, etag)).toBe(etag);
		f.clock.now = short.expiresAt;
		expect(await fast(short.token, etag)).toBeNull();

		const staff = await session(a.id, 'staff');
		expect(await fast(staff.token, etag)).toBeNull();
		expect(await fast(undefined, etag)).toBeNull();
		expect(await fast('not-a-session', etag)).toBeNull();

		// Another account on the same browser sending the first account's ETag (same version, same moment).
		const b = await resident('13800138000');
		const version = await codesVersion(f.deps.db, a.id);
		await f.deps.db.updateTable('accounts').set({ codes_version: version }).where('id', '=', b.id).execute();
		const until = f.clock.now + HOUR;
		expect(await fast(b.token, codesEtag(f.deps.hmacKey, a.id, version, until))).toBeNull();
		expect(await fast(b.token, codesEtag(f.deps.hmacKey, b.id, version, until))).not.toBeNull();
	});
});
