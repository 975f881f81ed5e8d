/**
 * @noble/ed25519 as an independent Ed25519 implementation for cross-checks (tests only). Its default
 * `verify` is ZIP-215 lenient; `zip215: false` asks for RFC 8032 strict verification, the rule we apply.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import type { Ed25519Backend, SignFn } from '../core/ed25519/ed25519.js';

ed.hashes.sha512 = sha512;

export const nobleBackend: Ed25519Backend = {
	name: 'noble',
	verifyRaw: (publicKey, message, signature) => Promise.resolve(ed.verify(signature, message, publicKey, { zip215: false }))
};

export function nobleKeyPair(seed: Uint8Array): { publicKey: Uint8Array; sign: SignFn } {
	return { publicKey: ed.getPublicKey(seed), sign: (m) => Promise.resolve(ed.sign(m, seed)) };
}
