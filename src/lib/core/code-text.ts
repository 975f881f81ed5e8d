/**
 * QR text ↔ bytes: `TX1:` + base45 (RFC 9285) of either a tagged COSE_Sign1 (a paper code, or a credential
 * on its own) or the live wrapper [credential, step, signature] (live-proof.ts). Base45 keeps the QR in
 * alphanumeric mode (5.5 bits per character instead of 8).
 */
import { base45Decode, base45Encode } from './base45.js';
import { cborDecode, isBytes, isUint } from './cbor.js';
import { CODE_PREFIX, MAX_CODE_TEXT_LENGTH } from './constants.js';
import { parseCose, type CoseSign1 } from './cose.js';

export function codeText(bytes: Uint8Array): string {
	return CODE_PREFIX + base45Encode(bytes);
}

export interface ParsedCode {
	credential: Uint8Array;
	cose: CoseSign1;
	live?: { step: number; signature: Uint8Array };
}

export type ParseProblem = { reason: 'bad-format' | 'unsupported-version' | 'unsupported-algorithm'; detail: string };

/** Total and bounded: length is checked before any decoding. Never throws. */
export function parseCodeText(text: unknown): ParsedCode | ParseProblem {
	if (typeof text !== 'string') return { reason: 'bad-format', detail: 'not text' };
	if (text.length > MAX_CODE_TEXT_LENGTH) return { reason: 'bad-format', detail: `longer than ${MAX_CODE_TEXT_LENGTH} characters` };
	if (!text.startsWith(CODE_PREFIX)) {
		if (/^TX\d+:/.test(text))
			return { reason: 'unsupported-version', detail: `format ${text.slice(0, text.indexOf(':'))} is not supported` };
		return { reason: 'bad-format', detail: 'not a Tongxing code (prefix)' };
	}
	const bytes = base45Decode(text.slice(CODE_PREFIX.length));
	if (!bytes) return { reason: 'bad-format', detail: 'not base45' };
	const item = cborDecode(bytes);
	if (item === null) return { reason: 'bad-format', detail: 'not strict CBOR' };
	if (Array.isArray(item)) {
		const [credential, step, signature] = item;
		if (item.length !== 3 || !isBytes(credential) || !isUint(step) || !isBytes(signature, 64)) {
			return { reason: 'bad-format', detail: 'bad live-proof wrapper' };
		}
		const cose = parseCose(cborDecode(credential));
		if (typeof cose === 'string') return { reason: cose, detail: 'bad credential' };
		return { credential, cose, live: { step, signature } };
	}
	const cose = parseCose(item);
	if (typeof cose === 'string') return { reason: cose, detail: 'bad credential' };
	return { credential: bytes, cose };
}
