/**
 * The national trust list: which regional issuer keys may sign codes, signed by the root key whose public
 * key is pinned in each app's configuration. Modelled on the EU DCC trust list (DSC list) but signed as one
 * COSE_Sign1 object, so a scanner can check it offline with nothing but the pinned root key.
 *
 * Payload (CBOR map, text keys): { v: 1, version: uint (only grows), issuedAt: uint, maxAge: uint (seconds),
 *   keys: [{ kid: bstr .size 8, region: tstr, pub: bstr .size 32, notBefore: uint, notAfter: uint,
 *            status: "active" | "retired" | "compromised" }] }
 */
import { cborDecode, cborEncode, isBytes, isMap, isUint, type CborValue } from './cbor.js';
import { parseCose, sigStructure, signCose } from './cose.js';
import { bytesEqual, fromBase64Url, fromHex, toBase64Url, toHex } from './bytes.js';
import { strictVerify, type Ed25519Backend, type SignFn } from './ed25519/ed25519.js';
import { isAcceptablePublicKey } from './ed25519/strict.js';
import { kidOf } from './kid.js';
import { REGION_RE } from './claims.js';

export const TRUST_LIST_CONTENT_TYPE = 'application/tx-trust-list+cbor';
export const KEY_STATUSES = ['active', 'retired', 'compromised'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

export interface IssuerKey {
	kid: string; // hex
	region: string;
	publicKey: string; // base64url
	notBefore: number;
	notAfter: number;
	status: KeyStatus;
}

export interface TrustListContent {
	version: number;
	issuedAt: number;
	maxAge: number;
	keys: IssuerKey[];
}

/** A trust list whose root signature has been checked (only `openTrustList` makes one). */
export interface TrustList extends TrustListContent {
	readonly opened: true;
	/** The signed bytes, kept so the list can be stored and passed on unchanged. */
	readonly bytes: Uint8Array;
	readonly byKid: ReadonlyMap<string, IssuerKey>;
	/**
	 * Set when the keys came from a national trust bundle (federation/trust-bundle.ts): each region's key list
	 * has its own issuedAt and maxAge, so staleness is judged per region, and the keys the bundle refused are
	 * named so `unknown-issuer` can say why.
	 */
	readonly regions?: ReadonlyMap<string, RegionTrust>;
	readonly refused?: ReadonlyMap<string, string>;
}

/** One region as a trust bundle vouches for it: its key list's version and freshness, its certificate's window. */
export interface RegionTrust {
	region: string;
	version: number;
	issuedAt: number;
	maxAge: number;
	certNotBefore: number;
	certNotAfter: number;
}

export type TrustListProblem = 'trust-list-invalid' | 'trust-list-rollback';

export function signTrustList(content: TrustListContent, root: { kid: Uint8Array; sign: SignFn }): Promise<Uint8Array> {
	const payload = cborEncode(
		new Map<string, CborValue>([
			['v', 1],
			['version', content.version],
			['issuedAt', content.issuedAt],
			['maxAge', content.maxAge],
			['keys', content.keys.map(encodeKeyEntry)]
		])
	);
	return signCose(payload, { kid: root.kid, sign: root.sign, contentType: TRUST_LIST_CONTENT_TYPE });
}

/**
 * Checks the root signature and every entry. `minVersion` is the newest version this device has accepted:
 * an older list is a rollback (an attacker replaying a list from before a key was marked compromised).
 */
export async function openTrustList(
	bytes: Uint8Array,
	opts: { rootPublicKey: Uint8Array; backend: Ed25519Backend; minVersion?: number }
): Promise<{ ok: true; list: TrustList } | { ok: false; reason: TrustListProblem; detail: string }> {
	const bad = (detail: string) => ({ ok: false as const, reason: 'trust-list-invalid' as const, detail });
	const cose = parseCose(cborDecode(bytes));
	if (typeof cose === 'string') return bad('not a COSE_Sign1 EdDSA object');
	if (cose.contentType !== TRUST_LIST_CONTENT_TYPE) return bad('not a trust list');
	if (!bytesEqual(cose.kid, kidOf(opts.rootPublicKey))) return bad('signed by a key other than the pinned root');
	if (!(await strictVerify(opts.backend, opts.rootPublicKey, sigStructure(cose.protectedBytes, cose.payload), cose.signature))) {
		return bad('root signature does not verify');
	}
	const content = decodeContent(cborDecode(cose.payload));
	if (typeof content === 'string') return bad(content);
	if (opts.minVersion !== undefined && content.version < opts.minVersion) {
		return { ok: false, reason: 'trust-list-rollback', detail: `version ${content.version} is older than ${opts.minVersion}` };
	}
	const byKid = new Map(content.keys.map((k) => [k.kid, k]));
	return { ok: true, list: { ...content, opened: true, bytes, byKid } };
}

function decodeContent(m: CborValue | null): TrustListContent | string {
	if (!isMap(m) || m.get('v') !== 1) return 'unsupported trust list format';
	const version = m.get('version'),
		issuedAt = m.get('issuedAt'),
		maxAge = m.get('maxAge'),
		keys = m.get('keys');
	if (!isUint(version) || !isUint(issuedAt) || !isUint(maxAge) || !Array.isArray(keys)) return 'missing fields';
	const out = decodeKeyEntries(keys);
	return typeof out === 'string' ? out : { version, issuedAt, maxAge, keys: out };
}

/** One issuer-key entry as the trust list and the region key lists (federation/region-key-list.ts) carry it. */
export function encodeKeyEntry(k: IssuerKey): Map<string, CborValue> {
	return new Map<string, CborValue>([
		['kid', fromHex(k.kid)!],
		['region', k.region],
		['pub', fromBase64Url(k.publicKey)!],
		['notBefore', k.notBefore],
		['notAfter', k.notAfter],
		['status', k.status]
	]);
}

/** Decodes and checks a list of key entries (or says what is wrong with the first bad one). */
export function decodeKeyEntries(keys: CborValue[]): IssuerKey[] | string {
	const out: IssuerKey[] = [];
	const seen = new Set<string>();
	for (const e of keys) {
		if (!isMap(e)) return 'bad key entry';
		const kid = e.get('kid'),
			region = e.get('region'),
			pub = e.get('pub');
		const notBefore = e.get('notBefore'),
			notAfter = e.get('notAfter'),
			status = e.get('status');
		if (!isBytes(kid, 8) || !isBytes(pub, 32) || typeof region !== 'string' || !REGION_RE.test(region)) return 'bad key entry';
		if (!isUint(notBefore) || !isUint(notAfter) || notAfter <= notBefore) return 'bad key window';
		if (!KEY_STATUSES.includes(status as KeyStatus)) return 'bad key status';
		// Non-canonical and small-order keys would let anyone forge signatures (strict.ts).
		if (!isAcceptablePublicKey(pub)) return `unacceptable public key for kid ${toHex(kid)}`;
		if (!bytesEqual(kid, kidOf(pub))) return `kid ${toHex(kid)} does not match its public key`;
		if (seen.has(toHex(kid))) return `duplicate kid ${toHex(kid)}`;
		seen.add(toHex(kid));
		out.push({ kid: toHex(kid), region, publicKey: toBase64Url(pub), notBefore, notAfter, status: status as KeyStatus });
	}
	return out;
}

/**
 * Whether a freshly opened list may replace the stored one: only a strictly newer version does, and an equal
 * version is a re-download and changes nothing. Anything else keeps the last good list.
 */
export function shouldReplaceTrustList(current: TrustList | null, incoming: TrustList): boolean {
	if (!current) return true;
	return incoming.version > current.version;
}
