/**
 * Strict CBOR (RFC 8949) through cborg.
 *
 * Decoding rejects everything that would let two byte strings mean the same thing or hide data:
 * non-minimal integers and lengths (`strict`), duplicate map keys, indefinite lengths, undefined,
 * NaN/Infinity, integers beyond 2^53, trailing bytes (cborg's default), and any tag but COSE_Sign1 (18).
 * Maps decode as `Map` so integer keys (CWT claims, COSE headers) keep their type.
 * Encoding uses RFC 8949 §4.2.1 core deterministic encoding (bytewise-sorted map keys).
 */
import { decode, encode, rfc8949EncodeOptions, Tagged } from 'cborg';

export { Tagged };

/** RFC 9052 §4.2: COSE_Sign1 tag. */
export const COSE_SIGN1_TAG = 18;

export type CborValue = number | string | boolean | null | Uint8Array | CborValue[] | Map<CborValue, CborValue> | Tagged;

const DECODE_OPTIONS = {
	strict: true,
	rejectDuplicateMapKeys: true,
	allowIndefinite: false,
	allowUndefined: false,
	allowNaN: false,
	allowInfinity: false,
	allowBigInt: false,
	useMaps: true,
	tags: { [COSE_SIGN1_TAG]: Tagged.decoder(COSE_SIGN1_TAG) }
};

export function cborEncode(value: unknown): Uint8Array {
	return encode(value, rfc8949EncodeOptions);
}

/** Returns null for any input that is not exactly one strict, well-formed CBOR item. Never throws. */
export function cborDecode(bytes: Uint8Array): CborValue | null {
	try {
		return decode(bytes, DECODE_OPTIONS) as CborValue;
	} catch {
		return null;
	}
}

export function isMap(v: unknown): v is Map<CborValue, CborValue> {
	return v instanceof Map;
}

export function isBytes(v: unknown, length?: number): v is Uint8Array {
	return v instanceof Uint8Array && (length === undefined || v.length === length);
}

export function isUint(v: unknown): v is number {
	return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
