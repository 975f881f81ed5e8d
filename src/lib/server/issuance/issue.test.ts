/**
 * The issuance pipeline bumps the account's codes version (the GET /me/codes ETag) exactly once per change: a
 * declaration, a member added and a recolour each move it by one — not once per write they make — and a
 * recolour records the decision, revokes the old codes and signs new ones in that one change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../core/bytes.js';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { accountForPhone } from '../issuer/accounts.js';
import { submitDeclaration } from '../issuer/declare.js';
import { linkMemberByStaff } from '../../testing/member-link.js';
import { createRiskArea } from '../recolour/risk-areas.js';
import { pushRecords } from '../sources/push.js';
import { setDeviceKey } from '../store/accounts.js';
import { codesVersion } from '../store/codes-version.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const ZHANG = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const MEMBER = { name: '王秀英', idNumber: '440306195002142344' };
const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
const AREA = [
	[114.05, 22.54],
	[114.06, 22.54],
	[114.06, 22.55],
	[114.05, 22.55]
];
const iso = (ms: number) => new Date(ms).toISOString();

/** How much `change` moved the account's codes version. */
async function bumps(accountId: string, change: () => Promise<unknown>): Promise<number> {
	const before = await codesVersion(f.deps.db, accountId);
	await change();
	return (await codesVersion(f.deps.db, accountId)) - before;
}

async function account(withDevice: boolean) {
	const id = await accountForPhone(f.deps, ZHANG.phone, f.clock.now);
	if (withDevice) await setDeviceKey(f.deps.db, id, toBase64Url(device.publicKey));
	return id;
}

const declare = (id: string) =>
	submitDeclaration(
		f.deps,
		{ id },
		{
			name: ZHANG.name,
			idNumber: ZHANG.id,
			phone: ZHANG.phone,
			region: ZHANG.region,
			addressDetail: '1 号',
			temperature: 36.5,
			symptoms: ['none'],
			travel: []
		}
	);

describe('codes version bumps', () => {
	it('one per declaration, with or without a device, first or repeated', async () => {
		const id = await account(false);
		expect(await bumps(id, () => declare(id))).toBe(1); // new person, decision recorded, no codes
		await setDeviceKey(f.deps.db, id, toBase64Url(device.publicKey));
		f.clock.now += 60_000;
		expect(await bumps(id, () => declare(id))).toBe(1); // codes issued, none before
		f.clock.now += 60_000;
		expect(await bumps(id, () => declare(id))).toBe(1); // codes issued, the earlier ones superseded
	});

	it('one per member added', async () => {
		const id = await account(true);
		await declare(id);
		expect(await bumps(id, () => linkMemberByStaff(f.deps, id, MEMBER))).toBe(1); // a pending request shows nothing: no bump
	});

	it('one per recolour of a person (decision recorded, old codes revoked, new ones signed)', async () => {
		const id = await account(true);
		await declare(id);
		const at = (k: number) => iso(f.clock.now - 30 * 3_600_000 + k * 15 * 60_000);
		const records = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({ phone: ZHANG.phone, at: at(k), lat: 22.545, lon: 114.055, accuracyM: 20 }));
		await pushRecords(f.deps, 'trajectory', { records }, 'source/carrier/k');
		f.clock.now += 60_000;
		let changed = 0;
		const n = await bumps(id, async () => {
			const out = await createRiskArea(
				f.deps,
				{ name: '福田某小区', level: 'high', polygon: AREA, from: iso(f.clock.now - 48 * 3_600_000) },
				'staff/s1'
			);
			changed = out.recoloured.changed;
		});
		expect(changed).toBe(1);
		expect(n).toBe(1);
	});
});
