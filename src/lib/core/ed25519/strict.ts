/**
 * Strictness checks that sit in front of every Ed25519 backend, so tweetnacl, WebCrypto, node:crypto and
 * noble all accept exactly the same set of (key, signature) pairs.
 *
 * - RFC 8032 §5.1.7: "If S >= L, the signature is invalid" (non-malleability). tweetnacl 1.0.3 skips this
 *   check and accepts S + L, so a second valid signature exists for every message (tweetnacl README,
 *   "signature malleability").
 * - Public keys must be canonical encodings (y < p, RFC 8032 §5.1.3) and must not have small order: with a
 *   small-order key A, [k]A cycles through at most 8 points and signatures can be forged without the secret
 *   key. The list of small-order encodings is the one libsodium blocks (ed25519_is_small_order, incl.
 *   non-canonical variants), cross-checked in strict.test.ts by multiplying by the cofactor.
 */
import { fromHex } from '../bytes.js';

/** L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010')!;

/** Is the 32-byte little-endian scalar S (second half of the signature) < L? */
export function isCanonicalScalar(s: Uint8Array): boolean {
	if (s.length !== 32) return false;
	for (let i = 31; i >= 0; i--) {
		if (s[i]! < L[i]!) return true;
		if (s[i]! > L[i]!) return false;
	}
	return false; // S == L
}

export function isCanonicalSignature(sig: Uint8Array): boolean {
	return sig.length === 64 && isCanonicalScalar(sig.subarray(32));
}

const SMALL_ORDER = [
	// 0 (order 4)
	'0000000000000000000000000000000000000000000000000000000000000000',
	// 1 (order 1)
	'0100000000000000000000000000000000000000000000000000000000000000',
	// 2707385501144840649318225287225658788936804267575313519463743609750303402022 (order 8)
	'26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
	// 55188659117513257062467267217118295137698188065244968500265048394206261417927 (order 8)
	'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
	// p-1 (order 2)
	'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
	// p (=0, order 4), non-canonical
	'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
	// p+1 (=1, order 1), non-canonical
	'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'
].map((h) => fromHex(h)!);

/** y (low 255 bits) < p = 2^255 - 19. */
function isCanonicalY(key: Uint8Array): boolean {
	// y >= p only when the top byte (sign bit cleared) is 0x7f, bytes 1..30 are 0xff and byte 0 >= 0xed.
	if ((key[31]! & 0x7f) !== 0x7f) return true;
	for (let i = 30; i >= 1; i--) if (key[i] !== 0xff) return true;
	return key[0]! < 0xed;
}

/**
 * Accept a public key only if it is 32 bytes, canonical and not of small order (sign bit ignored for the
 * small-order comparison, as libsodium does).
 */
export function isAcceptablePublicKey(key: Uint8Array): boolean {
	if (key.length !== 32 || !isCanonicalY(key)) return false;
	outer: for (const bad of SMALL_ORDER) {
		for (let i = 0; i < 31; i++) if (key[i] !== bad[i]) continue outer;
		if ((key[31]! & 0x7f) === bad[31]) return false;
	}
	return true;
}
