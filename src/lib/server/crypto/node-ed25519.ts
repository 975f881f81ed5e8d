/**
 * node:crypto Ed25519 (OpenSSL): the server's fast path for signing and verifying. Same deterministic
 * signatures as tweetnacl (RFC 8032 §5.1.6), checked in node-ed25519.test.ts.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Ed25519Backend, SignFn } from '../../core/ed25519/ed25519.js';

// RFC 8410 §7 DER prefixes: PKCS#8 for a 32-byte seed, SPKI for a 32-byte public key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function nodePrivateKey(seed: Uint8Array): KeyObject {
	if (seed.length !== 32) throw new RangeError('Ed25519 seed must be 32 bytes');
	return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function nodePublicKey(publicKey: Uint8Array): KeyObject {
	return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

export function nodeKeyPair(seed: Uint8Array): { publicKey: Uint8Array; sign: SignFn } {
	const privateKey = nodePrivateKey(seed);
	const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
	return {
		publicKey: new Uint8Array(spki.subarray(SPKI_PREFIX.length)),
		sign: (message) => Promise.resolve(new Uint8Array(sign(null, message, privateKey)))
	};
}

export function createNodeBackend(): Ed25519Backend {
	const cache = new Map<string, KeyObject>();
	return {
		name: 'node:crypto',
		verifyRaw(publicKey, message, signature) {
			const id = Buffer.from(publicKey).toString('hex');
			let key = cache.get(id);
			if (!key) {
				if (cache.size > 256) cache.clear();
				key = nodePublicKey(publicKey);
				cache.set(id, key);
			}
			return Promise.resolve(verify(null, message, key, signature));
		}
	};
}
