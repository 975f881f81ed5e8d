import type { SignFn } from '../core/ed25519/ed25519.js';

// RFC 8410 §7: PKCS#8 wrapping of a 32-byte Ed25519 seed, so WebCrypto can import a known test key.
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

/** A WebCrypto Ed25519 key pair from a seed (tests only: real device keys are generated non-extractable). */
export async function webCryptoKeyPair(seed: Uint8Array): Promise<{ publicKey: Uint8Array; sign: SignFn }> {
	const pkcs8 = new Uint8Array(PKCS8_PREFIX.length + 32);
	pkcs8.set(PKCS8_PREFIX);
	pkcs8.set(seed, PKCS8_PREFIX.length);
	const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
	const jwk = await crypto.subtle.exportKey('jwk', privateKey);
	const b64 = jwk.x!.replace(/-/g, '+').replace(/_/g, '/');
	const publicKey = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
	return {
		publicKey,
		sign: async (m) => new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, new Uint8Array(m)))
	};
}
