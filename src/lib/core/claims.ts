/**
 * The credential's payload: CWT claims (RFC 8392) plus one private-use claim holding Tongxing's own
 * fields in a small map. Minimal on purpose: no full ID number, phone, address, temperature or symptoms.
 *
 *   { 1 iss: tstr (GB/T 2260 six-digit region code), 4 exp: uint, 6 iat: uint, 7 cti: bstr (code id),
 *     -65537 tx: { 1 colour: 0 green | 1 yellow | 2 red, 2 masked name: tstr, 3 ID-number suffix: tstr,
 *                  4 kind: 0 phone | 1 paper | 2 proxy, ?5 holder device Ed25519 key: bstr .size 32,
 *                  ?6 colour reasons: [+ uint], ?7 last negative test: uint (NumericDate),
 *                  ?8 proxy presenter's masked name: tstr } }
 *
 * -65537 is the first value of the CWT "Private Use" range (RFC 8392 §9.1: integers < -65536). Grouping our
 * fields under one claim costs 6 bytes but keeps the registered claim space clean (EU DCC does the same
 * with -260). Unknown keys are rejected: a new field means a new format version (the `TX2:` prefix).
 */
import { cborEncode, isBytes, isMap, isUint, type CborValue } from './cbor.js';
import { fromBase64Url, toBase64Url } from './bytes.js';
import { colourReasonFromNumber, colourReasonToNumber, type ColourReason } from './colour-reasons.js';

export const CLAIM_ISS = 1;
export const CLAIM_EXP = 4;
export const CLAIM_IAT = 6;
export const CLAIM_CTI = 7;
export const CLAIM_TX = -65537;

const TX_COLOUR = 1,
	TX_NAME = 2,
	TX_ID_SUFFIX = 3,
	TX_KIND = 4,
	TX_HOLDER = 5,
	TX_REASONS = 6,
	TX_LAST_NEG = 7,
	TX_PROXY = 8;

export const COLOURS = ['green', 'yellow', 'red'] as const;
export const KINDS = ['phone', 'paper', 'proxy'] as const;
export type Colour = (typeof COLOURS)[number];
export type CodeKind = (typeof KINDS)[number];

/** Code ids are random, at least 96 bits (the only key for revocation and dedupe). */
export const CODE_ID_MIN_BYTES = 12;
export const CODE_ID_MAX_BYTES = 32;
const MAX_REASONS = 16;
const MAX_NAME_CHARS = 24;

/** JSON-friendly view of the claims; binary fields are base64url. */
export interface CodeClaims {
	iss: string;
	iat: number;
	exp: number;
	codeId: string;
	colour: Colour;
	maskedName: string;
	idSuffix: string;
	kind: CodeKind;
	holderKey?: string;
	reasons: ColourReason[];
	lastNegativeTestAt?: number;
	proxyName?: string;
}

export const REGION_RE = /^[1-8]\d{5}$/;
const ID_SUFFIX_RE = /^[0-9A-Z]{1,6}$/;

/** Problems with claims the issuer is about to sign; empty when fine. Used before signing, not by verifiers. */
export function claimProblems(c: CodeClaims): string[] {
	const p: string[] = [];
	if (!REGION_RE.test(c.iss)) p.push('iss must be a GB/T 2260 six-digit region code');
	if (!isUint(c.iat) || !isUint(c.exp) || c.exp <= c.iat) p.push('iat/exp must be NumericDates with exp > iat');
	const id = fromBase64Url(c.codeId);
	if (!id || id.length < CODE_ID_MIN_BYTES || id.length > CODE_ID_MAX_BYTES) p.push('codeId must be 12–32 random bytes');
	if (!COLOURS.includes(c.colour)) p.push('bad colour');
	if (!isMaskedName(c.maskedName)) p.push('maskedName must be a masked name (with *)');
	if (!ID_SUFFIX_RE.test(c.idSuffix)) p.push('idSuffix must be 1–6 digits or capital letters');
	if (!KINDS.includes(c.kind)) p.push('bad kind');
	const holder = c.holderKey === undefined ? undefined : fromBase64Url(c.holderKey);
	if ((c.kind === 'paper') !== (holder === undefined)) p.push('holderKey is required for phone and proxy codes and absent on paper');
	if (holder !== undefined && holder?.length !== 32) p.push('holderKey must be 32 bytes');
	if ((c.colour === 'green') !== (c.reasons.length === 0)) p.push('non-green colours need reasons; green has none');
	if (c.reasons.length > MAX_REASONS) p.push('too many reasons');
	if (!c.reasons.every(isEncodableReason)) p.push('unknown colour reason');
	if (c.lastNegativeTestAt !== undefined && !isUint(c.lastNegativeTestAt)) p.push('bad lastNegativeTestAt');
	if ((c.kind === 'proxy') !== (c.proxyName !== undefined)) p.push('proxyName is required exactly for proxy codes');
	if (c.proxyName !== undefined && !isMaskedName(c.proxyName)) p.push('proxyName must be masked');
	return p;
}

function isEncodableReason(r: ColourReason): boolean {
	try {
		return isUint(colourReasonToNumber(r));
	} catch {
		return false;
	}
}

function isMaskedName(s: unknown): s is string {
	return typeof s === 'string' && s.includes('*') && [...s].length <= MAX_NAME_CHARS && s.trim() === s && s.length > 1;
}

export function encodeClaims(c: CodeClaims): Uint8Array {
	const problems = claimProblems(c);
	if (problems.length) throw new RangeError(`invalid claims: ${problems.join('; ')}`);
	const tx = new Map<number, CborValue>([
		[TX_COLOUR, COLOURS.indexOf(c.colour)],
		[TX_NAME, c.maskedName],
		[TX_ID_SUFFIX, c.idSuffix],
		[TX_KIND, KINDS.indexOf(c.kind)]
	]);
	if (c.holderKey !== undefined) tx.set(TX_HOLDER, fromBase64Url(c.holderKey));
	if (c.reasons.length) tx.set(TX_REASONS, c.reasons.map(colourReasonToNumber));
	if (c.lastNegativeTestAt !== undefined) tx.set(TX_LAST_NEG, c.lastNegativeTestAt);
	if (c.proxyName !== undefined) tx.set(TX_PROXY, c.proxyName);
	return cborEncode(
		new Map<number, CborValue>([
			[CLAIM_ISS, c.iss],
			[CLAIM_EXP, c.exp],
			[CLAIM_IAT, c.iat],
			[CLAIM_CTI, fromBase64Url(c.codeId)!],
			[CLAIM_TX, tx]
		])
	);
}

const TOP_KEYS = new Set<CborValue>([CLAIM_ISS, CLAIM_EXP, CLAIM_IAT, CLAIM_CTI, CLAIM_TX]);
const TX_KEYS = new Set<CborValue>([TX_COLOUR, TX_NAME, TX_ID_SUFFIX, TX_KIND, TX_HOLDER, TX_REASONS, TX_LAST_NEG, TX_PROXY]);

/** Decodes an already-CBOR-decoded claims map; null when anything is missing, extra or mistyped. */
export function decodeClaims(m: CborValue | null): CodeClaims | null {
	if (!isMap(m) || [...m.keys()].some((k) => !TOP_KEYS.has(k))) return null;
	const iss = m.get(CLAIM_ISS),
		exp = m.get(CLAIM_EXP),
		iat = m.get(CLAIM_IAT),
		cti = m.get(CLAIM_CTI),
		tx = m.get(CLAIM_TX);
	if (typeof iss !== 'string' || !isUint(exp) || !isUint(iat) || !isBytes(cti) || !isMap(tx)) return null;
	if ([...tx.keys()].some((k) => !TX_KEYS.has(k))) return null;
	const colour = COLOURS[tx.get(TX_COLOUR) as number];
	const kind = KINDS[tx.get(TX_KIND) as number];
	const name = tx.get(TX_NAME),
		idSuffix = tx.get(TX_ID_SUFFIX),
		holder = tx.get(TX_HOLDER);
	const reasons = tx.get(TX_REASONS) ?? [],
		lastNeg = tx.get(TX_LAST_NEG),
		proxy = tx.get(TX_PROXY);
	if (colour === undefined || kind === undefined || typeof name !== 'string' || typeof idSuffix !== 'string') return null;
	if (holder !== undefined && !isBytes(holder, 32)) return null;
	if (!Array.isArray(reasons) || !reasons.every(isUint)) return null;
	if (tx.has(TX_REASONS) && reasons.length === 0) return null; // present means non-empty (one encoding per value)
	if (lastNeg !== undefined && !isUint(lastNeg)) return null;
	if (proxy !== undefined && typeof proxy !== 'string') return null;
	const claims: CodeClaims = {
		iss,
		iat,
		exp,
		codeId: toBase64Url(cti),
		colour,
		maskedName: name,
		idSuffix,
		kind,
		reasons: reasons.map(colourReasonFromNumber)
	};
	if (holder !== undefined) claims.holderKey = toBase64Url(holder);
	if (lastNeg !== undefined) claims.lastNegativeTestAt = lastNeg;
	if (proxy !== undefined) claims.proxyName = proxy;
	return claimProblems(claims).length === 0 ? claims : null;
}
