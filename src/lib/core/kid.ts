import { sha256 } from '@noble/hashes/sha2.js';
import { KID_LENGTH } from './cose.js';

/** A key's id: the first 8 bytes of SHA-256 of its raw 32-byte public key (docs/code-format.md §Keys). */
export function kidOf(publicKey: Uint8Array): Uint8Array {
	return sha256(publicKey).slice(0, KID_LENGTH);
}
