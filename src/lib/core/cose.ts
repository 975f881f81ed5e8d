/**
 * COSE_Sign1 (RFC 9052 §4.2) with EdDSA (alg -8, RFC 9053 §2.2), as used by every signed object here:
 *
 *   COSE_Sign1 = #6.18([ protected: bstr .cbor {1: -8, 4: kid, ?3: content type}, unprotected: {},
 *                        payload: bstr, signature: bstr .size 64 ])
 *   signed bytes = Sig_structure = ["Signature1", protected, external_aad = h'', payload]   (RFC 9052 §4.4)
 *
 * Nothing is read from the unprotected header (it must be empty), so every byte that affects a decision
 * is covered by the signature. Credentials carry exactly {1, 4}; trust and status lists add a content type
 * (header 3), which keeps the three kinds of signed object from being mistaken for each other.
 */
import { cborDecode, cborEncode, COSE_SIGN1_TAG, isBytes, isMap, Tagged, type CborValue } from './cbor.js';
import type { SignFn } from './ed25519/ed25519.js';

export const COSE_ALG_EDDSA = -8;
export const COSE_HEADER_ALG = 1;
export const COSE_HEADER_CONTENT_TYPE = 3;
export const COSE_HEADER_KID = 4;
export const KID_LENGTH = 8;

export interface CoseSign1 {
	protectedBytes: Uint8Array;
	kid: Uint8Array;
	contentType: string | undefined;
	payload: Uint8Array;
	signature: Uint8Array;
}

export type CoseParseError = 'bad-format' | 'unsupported-algorithm';

export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
	return cborEncode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
}

export async function signCose(payload: Uint8Array, opts: { kid: Uint8Array; sign: SignFn; contentType?: string }): Promise<Uint8Array> {
	const header = new Map<number, CborValue>([
		[COSE_HEADER_ALG, COSE_ALG_EDDSA],
		[COSE_HEADER_KID, opts.kid]
	]);
	if (opts.contentType !== undefined) header.set(COSE_HEADER_CONTENT_TYPE, opts.contentType);
	const protectedBytes = cborEncode(header);
	const signature = await opts.sign(sigStructure(protectedBytes, payload));
	return cborEncode(new Tagged(COSE_SIGN1_TAG, [protectedBytes, new Map(), payload, signature]));
}

/** Structural parse of a decoded COSE_Sign1 item. Signature is not checked here. */
export function parseCose(item: CborValue | null): CoseSign1 | CoseParseError {
	if (!(item instanceof Tagged) || item.tag !== COSE_SIGN1_TAG) return 'bad-format';
	const arr = item.value as unknown;
	if (!Array.isArray(arr) || arr.length !== 4) return 'bad-format';
	const [protectedBytes, unprotected, payload, signature] = arr as unknown[];
	if (!isBytes(protectedBytes) || !isMap(unprotected) || unprotected.size !== 0) return 'bad-format';
	if (!isBytes(payload) || !isBytes(signature, 64)) return 'bad-format';
	const header = cborDecode(protectedBytes);
	if (!isMap(header)) return 'bad-format';
	for (const key of header.keys()) {
		if (key !== COSE_HEADER_ALG && key !== COSE_HEADER_KID && key !== COSE_HEADER_CONTENT_TYPE) return 'bad-format';
	}
	const alg = header.get(COSE_HEADER_ALG);
	if (typeof alg !== 'number') return 'bad-format';
	if (alg !== COSE_ALG_EDDSA) return 'unsupported-algorithm';
	const kid = header.get(COSE_HEADER_KID);
	if (!isBytes(kid, KID_LENGTH)) return 'bad-format';
	const contentType = header.get(COSE_HEADER_CONTENT_TYPE);
	if (contentType !== undefined && typeof contentType !== 'string') return 'bad-format';
	return { protectedBytes, kid, contentType, payload, signature };
}
