/** The bundle's chain rule beyond what the vectors show: rollbacks, forged copies, duplicates, order. */
import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes.js';
import { tweetnaclBackend } from '../ed25519/tweetnacl.js';
import * as f from '../../../../scripts/vectors/fixture.js';
import * as g from '../../../../scripts/vectors/federation-fixture.js';
import { decodeTrustBundle, encodeTrustBundle, mergeTrustBundles, openTrustBundle, type TrustBundle } from './trust-bundle.js';

const open = (b: TrustBundle, held?: Map<string, number>) =>
	openTrustBundle(b, { rootPublicKey: f.root.publicKey, backend: tweetnaclBackend, nowSec: f.NOW_S, ...(held ? { held } : {}) });
const bundle = async (over: Partial<TrustBundle> = {}) => decodeTrustBundle(await g.bundle(over)) as TrustBundle;
const kid = (k: { kid: Uint8Array }) => toHex(k.kid);

describe('openTrustBundle', { timeout: 60_000 }, () => {
	it('accepts both regions through their own certificates, in any order', async () => {
		const b = await bundle();
		const forward = await open(b);
		const reversed = await open({ ...b, certs: [...b.certs].reverse(), keyLists: [...b.keyLists].reverse() });
		for (const o of [forward, reversed]) {
			expect([...o.regions.keys()].sort()).toEqual([g.BJ, g.SZ]);
			expect(o.trust.byKid.get(kid(g.issuerBj))?.region).toBe(g.BJ);
			expect(o.trust.byKid.get(kid(f.issuer))?.region).toBe(g.SZ);
			expect(o.problems).toEqual([]);
		}
	});

	it('a forged list that copies a real entry does not remove the real key', async () => {
		const b = await bundle();
		const forged = await g.keyListSz({ version: 50 }, g.gateway);
		const o = await open({ ...b, keyLists: [...b.keyLists, forged] });
		expect(o.trust.byKid.has(kid(f.issuer))).toBe(true);
		expect(o.regions.get(g.SZ)?.list.version).toBe(3);
		expect(o.problems.join()).toMatch(/not the authority of a valid region certificate/);
	});

	it('reports a region whose newest list is older than the one held (rollback) and names it', async () => {
		const o = await open(await bundle(), new Map([[g.BJ, 6]]));
		expect(o.rollbacks).toEqual([g.BJ]);
		expect(o.problems.join()).toMatch(/older than 6/);
	});

	it('refuses a key two regions both claim, for both', async () => {
		const shared = f.issuerEntry(g.injected, g.SZ, f.NOW_S - f.DAY, f.NOW_S + f.DAY, 'active');
		const b = await bundle({
			keyLists: [await g.keyListSz({ keys: [shared] }), await g.keyListBj({ keys: [{ ...shared, region: g.BJ }] })]
		});
		const o = await open(b);
		expect(o.trust.byKid.has(kid(g.injected))).toBe(false);
		expect(o.trust.refused?.get(kid(g.injected))).toMatch(/listed by regions/);
	});

	it('a compromised region is cut off by revocation while the other keeps working', async () => {
		const o = await open(await bundle({ revocations: [await g.revocations([kid(g.authorityBj)])] }));
		expect(o.regions.has(g.BJ)).toBe(false);
		expect(o.trust.byKid.has(kid(f.issuer))).toBe(true);
		expect(o.kept.certs).toHaveLength(1);
	});

	it('merging what a device holds with a download keeps the newest list per region', async () => {
		const held = await bundle();
		const newer = { ...(await bundle()), keyLists: [await g.keyListBj({ version: 7 })] };
		const o = await open(mergeTrustBundles(held, newer));
		expect(o.regions.get(g.BJ)?.list.version).toBe(7);
		expect(o.kept.keyLists).toHaveLength(2);
		expect(decodeTrustBundle(encodeTrustBundle({ ...o.kept, statusLists: [] }))).not.toBeTypeOf('string');
	});

	it('rejects malformed bundles with a reason', () => {
		expect(decodeTrustBundle(new Uint8Array([1, 2, 3]))).toBeTypeOf('string');
	});
});
