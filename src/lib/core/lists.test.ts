import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, toHex } from './bytes.js';
import { tweetnaclBackend, tweetnaclKeyPair } from './ed25519/tweetnacl.js';
import { kidOf } from './kid.js';
import { applyStatusDocument, openStatusDocument, signStatusList, type StatusListContent } from './status-list.js';
import { openTrustList, shouldReplaceTrustList, signTrustList, type TrustListContent } from './trust-list.js';

const backend = tweetnaclBackend;
const rootPair = tweetnaclKeyPair(new Uint8Array(32).fill(1));
const root = { ...rootPair, kid: kidOf(rootPair.publicKey) };
const issuerPair = tweetnaclKeyPair(new Uint8Array(32).fill(2));
const issuer = { ...issuerPair, kid: kidOf(issuerPair.publicKey) };
const T = 1_795_939_200;
const content = (version: number): TrustListContent => ({
	version,
	issuedAt: T,
	maxAge: 7 * 86400,
	keys: [
		{
			kid: toHex(issuer.kid),
			region: '440300',
			publicKey: toBase64Url(issuer.publicKey),
			notBefore: T - 10,
			notAfter: T + 86400 * 30,
			status: 'active'
		}
	]
});

async function opened(version: number, minVersion?: number) {
	return openTrustList(await signTrustList(content(version), root), {
		rootPublicKey: root.publicKey,
		backend,
		...(minVersion === undefined ? {} : { minVersion })
	});
}

describe('trust list', () => {
	it('opens, and an older version never replaces a newer one', async () => {
		const v3 = await opened(3);
		const v4 = await opened(4);
		if (!v3.ok || !v4.ok) throw new Error('open failed');
		expect(shouldReplaceTrustList(null, v3.list)).toBe(true);
		expect(shouldReplaceTrustList(v3.list, v4.list)).toBe(true);
		expect(shouldReplaceTrustList(v4.list, v3.list)).toBe(false);
		expect(shouldReplaceTrustList(v4.list, v4.list)).toBe(false);
		expect(await opened(3, 4)).toMatchObject({ ok: false, reason: 'trust-list-rollback' });
	});

	it('refuses a tampered list', async () => {
		const bytes = await signTrustList(content(5), root);
		bytes[bytes.length - 70]! ^= 1; // inside the payload
		expect(await openTrustList(bytes, { rootPublicKey: root.publicKey, backend })).toMatchObject({
			ok: false,
			reason: 'trust-list-invalid'
		});
	});

	it('refuses a status list passed off as a trust list (content type)', async () => {
		const status = await signStatusList({ region: '440300', seq: 1, since: 0, issuedAt: T, maxAge: 1, revoked: [] }, root);
		expect(await openTrustList(status, { rootPublicKey: root.publicKey, backend })).toMatchObject({
			ok: false,
			detail: 'not a trust list'
		});
	});

	it('refuses a kid that does not match its key, and duplicate kids', async () => {
		const c = content(1);
		const wrongKid = { ...c, keys: [{ ...c.keys[0]!, kid: '0011223344556677' }] };
		expect(await openTrustList(await signTrustList(wrongKid, root), { rootPublicKey: root.publicKey, backend })).toMatchObject({
			ok: false
		});
		const dup = { ...c, keys: [c.keys[0]!, c.keys[0]!] };
		const dupResult = await openTrustList(await signTrustList(dup, root), { rootPublicKey: root.publicKey, backend });
		expect(dupResult.ok ? '' : dupResult.detail).toMatch(/duplicate/);
	});
});

describe('status list', () => {
	const id = (n: number) => toBase64Url(new Uint8Array(12).fill(n));
	const doc = (over: Partial<StatusListContent>): StatusListContent => ({
		region: '440300',
		seq: 1,
		since: 0,
		issuedAt: T,
		maxAge: 86400,
		revoked: [],
		...over
	});

	it('verifies against the trust list and applies full lists and deltas in order', async () => {
		const t = await opened(1);
		if (!t.ok) throw new Error();
		const full = await openStatusDocument(await signStatusList(doc({ seq: 10, revoked: [id(1)] }), issuer), { trustList: t.list, backend });
		if (!full.ok) throw new Error(full.detail);
		const s10 = applyStatusDocument(undefined, full.content);
		if (!s10.ok) throw new Error();
		const delta = applyStatusDocument(s10.list, doc({ seq: 12, since: 10, revoked: [id(2)] }));
		expect(delta.ok && [...delta.list.revoked].sort()).toEqual([id(1), id(2)].sort());
		expect(applyStatusDocument(s10.list, doc({ seq: 13, since: 11, revoked: [] }))).toMatchObject({ ok: false, reason: 'status-list-gap' });
		expect(applyStatusDocument(s10.list, doc({ seq: 9 }))).toMatchObject({ ok: false, reason: 'status-list-rollback' });
		expect(applyStatusDocument(undefined, doc({ seq: 5, since: 4 }))).toMatchObject({ ok: false, reason: 'status-list-gap' });
	});

	it('refuses a list signed for another region or with a bad signature', async () => {
		const t = await opened(1);
		if (!t.ok) throw new Error();
		const other = await openStatusDocument(await signStatusList(doc({ region: '110000' }), issuer), { trustList: t.list, backend });
		expect(other).toMatchObject({ ok: false, reason: 'status-list-invalid' });
		const bytes = await signStatusList(doc({}), issuer);
		bytes[bytes.length - 1]! ^= 1;
		expect(await openStatusDocument(bytes, { trustList: t.list, backend })).toMatchObject({
			ok: false,
			detail: 'signature does not verify'
		});
		expect(fromBase64Url(id(1))!.length).toBe(12);
	});
});
