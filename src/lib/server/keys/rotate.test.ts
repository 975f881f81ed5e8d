import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../core/bytes.js';
import { codeText } from '../../core/code-text.js';
import { tweetnaclBackend, tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { encodeLiveCode, timeStep } from '../../core/live-proof.js';
import { verifyCodeWithDocuments } from '../../core/verify-documents.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { accountForPhone } from '../issuer/accounts.js';
import { submitDeclaration } from '../issuer/declare.js';
import { myCodes } from '../issuer/my-codes.js';
import { reissueCodesOfKey } from '../issuer/reissue.js';
import { statusListDocument } from '../issuer/status.js';
import { readRootPublicKey, trustListPath } from './published.js';
import { compromiseKey, rotateKey } from './rotate.js';
import { setDeviceKey } from '../store/accounts.js';

let f: IssuerFixture;
const device = tweetnaclKeyPair(new Uint8Array(32).fill(9));
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

async function resident() {
	const id = await accountForPhone(f.deps, '13800138000', f.clock.now);
	await setDeviceKey(f.deps.db, id, toBase64Url(device.publicKey));
	await submitDeclaration(
		f.deps,
		{ id },
		{
			name: '张伟',
			idNumber: '440305199003071236',
			phone: '13800138000',
			region: '440305',
			addressDetail: '1 栋',
			temperature: 36.6,
			symptoms: ['none'],
			travel: []
		}
	);
	return id;
}

async function verify(credential: string) {
	const qr = codeText(await encodeLiveCode(fromBase64Url(credential)!, timeStep(f.clock.now), device.sign));
	return verifyCodeWithDocuments(qr, {
		trustList: new Uint8Array(readFileSync(trustListPath(f.deps.dataDir))),
		statusLists: [(await statusListDocument(f.deps.db, f.deps.keys, '440300', f.clock.now)).bytes],
		rootPublicKey: readRootPublicKey(f.deps.dataDir)!,
		now: f.clock.now,
		backend: tweetnaclBackend
	});
}

const nowSec = () => Math.floor(f.clock.now / 1000);

describe('key rotation', () => {
	it('publishes the next key first; the pre-issued next code already uses it; old codes keep verifying', async () => {
		const account = await resident();
		const [old] = (await myCodes(f.deps, account)).people[0]!.codes;
		const oldKid = f.deps.keys.activeIssuer('440300', nowSec())!.kid;
		const r = await rotateKey(f.deps.keys, f.deps.dataDir, { region: '440300', nowSec: nowSec(), delayHours: 12 });
		expect(r.previous).toEqual([oldKid]);
		// Still signing with the old key for 12 h; a code issued now ends when the old key's window does.
		f.clock.now += 60_000;
		await f.deps.db.updateTable('codes').set({ status: 'superseded' }).execute();
		const codes = (await myCodes(f.deps, account)).people[0]!.codes;
		const rows = await f.deps.db.selectFrom('codes').select(['kid', 'exp']).where('status', '=', 'live').orderBy('iat').execute();
		expect(rows.map((c) => c.kid)).toEqual([oldKid, r.next.kid]);
		expect(rows[0]!.exp).toBeLessThanOrEqual(r.next.notBefore * 1000);
		expect((await verify(codes[0]!.credential)).verdict).toBe('valid');
		expect((await verify(old!.credential)).verdict).toBe('valid');
		// After the switch, the next code verifies with the new key.
		f.clock.now = codes[1]!.iat + 1000;
		expect((await verify(codes[1]!.credential)).verdict).toBe('valid');
	});
});

describe('key compromise', () => {
	it('invalidates every code the key signed and re-issues working codes from a new key', async () => {
		const account = await resident();
		const before = (await myCodes(f.deps, account)).people[0]!.codes;
		const kid = f.deps.keys.activeIssuer('440300', nowSec())!.kid;
		const r = await compromiseKey(f.deps.keys, f.deps.dataDir, { kid, nowSec: nowSec() });
		expect(r.replacement).not.toBeNull();
		expect((await verify(before[0]!.credential)).reason).toBe('issuer-compromised');
		expect(await reissueCodesOfKey(f.deps, kid)).toEqual({ revoked: 2, people: 1 });
		const after = (await myCodes(f.deps, account)).people[0]!.codes;
		expect(after.map((c) => c.codeId)).not.toContain(before[0]!.codeId);
		expect(await verify(after[0]!.credential)).toMatchObject({ verdict: 'valid', kid: r.replacement!.kid });
	});
});
