/**
 * Sign with each implementation, verify with every other: Ed25519 is deterministic (RFC 8032 §5.1.6), so the
 * signatures must be byte-identical. node:crypto is cross-checked in src/lib/server/crypto.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nobleBackend, nobleKeyPair } from '../../testing/noble-backend.js';
import { webCryptoKeyPair } from '../../testing/webcrypto-keypair.js';
import { strictVerify } from './ed25519.js';
import { tweetnaclBackend, tweetnaclKeyPair } from './tweetnacl.js';
import { createWebCryptoBackend, webCryptoEd25519Available } from './webcrypto.js';

const backends = [tweetnaclBackend, nobleBackend, createWebCryptoBackend()];

describe('Ed25519 implementations agree', () => {
	it('WebCrypto Ed25519 is available in this Node', async () => {
		expect(await webCryptoEd25519Available()).toBe(true);
	});

	it('same key pair and signature from tweetnacl, noble and WebCrypto; each verifies the others', async () => {
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), async (seed, msg) => {
				const pairs = [tweetnaclKeyPair(seed), nobleKeyPair(seed), await webCryptoKeyPair(seed)];
				const sigs = await Promise.all(pairs.map((p) => p.sign(msg)));
				for (const p of pairs) expect(p.publicKey).toEqual(pairs[0]!.publicKey);
				for (const s of sigs) expect(s).toEqual(sigs[0]);
				for (const b of backends) expect(await strictVerify(b, pairs[0]!.publicKey, msg, sigs[0]!)).toBe(true);
				const flipped = new Uint8Array(msg.length ? msg : [0]);
				flipped[0]! ^= 1;
				for (const b of backends) expect(await strictVerify(b, pairs[0]!.publicKey, flipped, sigs[0]!)).toBe(false);
			}),
			{ numRuns: 40 }
		);
	}, 60_000);
});
