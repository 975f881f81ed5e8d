import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../bytes.js';
import { strictVerify } from './ed25519.js';
import { isAcceptablePublicKey, isCanonicalScalar } from './strict.js';
import { tweetnaclBackend } from './tweetnacl.js';

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const le = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 255n));

describe('isCanonicalScalar (RFC 8032 §5.1.7: S < L)', () => {
	it.each([
		['0', 0n, true],
		['L-1', L - 1n, true],
		['L', L, false],
		['L+1', L + 1n, false],
		['2^256-1', 2n ** 256n - 1n, false]
	])('%s', (_n, s, expected) => expect(isCanonicalScalar(le(s))).toBe(expected));
});

describe('isAcceptablePublicKey', () => {
	it('rejects every small-order point, as noble computes it, including sign-bit variants', () => {
		// The 8 points of the torsion subgroup: multiples of a generator of order 8.
		const t8 = ed.Point.fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
		expect(t8.isSmallOrder()).toBe(true);
		for (let i = 0n; i < 8n; i++) {
			const bytes = i === 0n ? ed.Point.ZERO.toBytes() : t8.multiplyUnsafe(i).toBytes();
			expect(isAcceptablePublicKey(bytes), `[${i}]T`).toBe(false);
			const flipped = new Uint8Array(bytes);
			flipped[31]! ^= 0x80;
			expect(isAcceptablePublicKey(flipped), `[${i}]T with sign bit flipped`).toBe(false);
		}
	});

	it('rejects non-canonical y ≥ p', () => {
		const p = 2n ** 255n - 19n;
		for (const y of [p, p + 1n, p + 5n, 2n ** 255n - 1n]) expect(isAcceptablePublicKey(le(y))).toBe(false);
	});

	it('accepts real keys (property: any seed)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
				expect(isAcceptablePublicKey(nacl.sign.keyPair.fromSeed(seed).publicKey)).toBe(true);
			}),
			{ numRuns: 200 }
		);
	});
});

describe('strictVerify', () => {
	const kp = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(4));
	const msg = new TextEncoder().encode('通行');
	const sig = nacl.sign.detached(msg, kp.secretKey);
	const malleated = new Uint8Array(sig);
	malleated.set(
		le(
			BigInt(
				'0x' +
					[...sig.subarray(32)]
						.reverse()
						.map((b) => b.toString(16).padStart(2, '0'))
						.join('')
			) + L
		),
		32
	);

	it('tweetnacl on its own accepts the S+L variant (the reason for the check)', () => {
		expect(nacl.sign.detached.verify(msg, malleated, kp.publicKey)).toBe(true);
	});

	it('rejects the S+L variant and accepts the original', async () => {
		expect(await strictVerify(tweetnaclBackend, kp.publicKey, msg, sig)).toBe(true);
		expect(await strictVerify(tweetnaclBackend, kp.publicKey, msg, malleated)).toBe(false);
	});

	it('never throws on wrongly sized input', async () => {
		expect(await strictVerify(tweetnaclBackend, new Uint8Array(3), msg, sig)).toBe(false);
		expect(await strictVerify(tweetnaclBackend, kp.publicKey, msg, new Uint8Array(10))).toBe(false);
		expect(await strictVerify(tweetnaclBackend, fromHex('00'.repeat(32))!, msg, sig)).toBe(false);
	});
});
