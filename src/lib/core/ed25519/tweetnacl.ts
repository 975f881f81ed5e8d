/** tweetnacl backend: pure JS, works everywhere; the fallback and the cross-check. */
import nacl from 'tweetnacl';
import type { Ed25519Backend, SignFn } from './ed25519.js';

export const tweetnaclBackend: Ed25519Backend = {
	name: 'tweetnacl',
	verifyRaw(publicKey, message, signature) {
		return Promise.resolve(nacl.sign.detached.verify(message, signature, publicKey));
	}
};

/** RFC 8032 key pair from a 32-byte seed (tweetnacl's 64-byte secret key is seed ‖ public key). */
export function tweetnaclKeyPair(seed: Uint8Array): { publicKey: Uint8Array; sign: SignFn } {
	const kp = nacl.sign.keyPair.fromSeed(seed);
	return {
		publicKey: kp.publicKey,
		sign: (message) => Promise.resolve(nacl.sign.detached(message, kp.secretKey))
	};
}
