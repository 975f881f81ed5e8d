/**
 * Base45 (RFC 9285) with an alphabet check in front of the library.
 *
 * @digitalbazaar/base45 rejects bad triplets (> 0xFFFF) and bad lengths, but it looks characters up in a
 * 256-entry table: a character above U+00FF reads as `undefined` and silently decodes to 0. So we check the
 * alphabet first. Its encoder also ignores a Uint8Array's byteOffset, so we always hand it a fresh copy.
 */
import { decode, encode } from '@digitalbazaar/base45';

/** RFC 9285 §4: the 45-character alphabet, which is also QR alphanumeric mode's character set. */
export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const BASE45_RE = /^[0-9A-Z $%*+\-./:]*$/;

export function base45Encode(bytes: Uint8Array): string {
	return encode(new Uint8Array(bytes));
}

/** Returns null for anything that is not canonical base45. */
export function base45Decode(text: string): Uint8Array | null {
	if (!BASE45_RE.test(text)) return null;
	try {
		return decode(text);
	} catch {
		return null;
	}
}
