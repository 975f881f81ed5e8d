/**
 * One interface, several Ed25519 backends. Ed25519 is deterministic (RFC 8032 §5.1.6), so every backend
 * produces byte-identical signatures; the fast ones (WebCrypto in browsers, node:crypto on the server) are
 * used where available and tweetnacl stays as the fallback and the independent cross-check.
 *
 * `verify` applies the strict checks (strict.ts) before calling the backend, so all backends agree.
 */
import { isAcceptablePublicKey, isCanonicalSignature } from './strict.js';

export interface Ed25519Backend {
	readonly name: string;
	/** Backend verification only; callers use `strictVerify`. Must not throw for well-sized inputs. */
	verifyRaw(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** Signs with a key the caller never sees (a server key, a non-extractable device key). */
export type SignFn = (message: Uint8Array) => Promise<Uint8Array>;

export async function strictVerify(
	backend: Ed25519Backend,
	publicKey: Uint8Array,
	message: Uint8Array,
	signature: Uint8Array
): Promise<boolean> {
	if (!isAcceptablePublicKey(publicKey) || !isCanonicalSignature(signature)) return false;
	try {
		return await backend.verifyRaw(publicKey, message, signature);
	} catch {
		return false;
	}
}
