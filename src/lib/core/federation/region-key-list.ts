/**
 * A region's issuer-key list (docs/code-format.md §10.2): the region's issuer keys, signed by the region's
 * authority key (never by the root, which stays offline, and never by the gateway). COSE_Sign1, content type
 * application/tx-region-keys+cbor:
 *
 *   { v: 1, region: tstr, version: uint (only grows), issuedAt: uint, maxAge: uint,
 *     keys: [ key entry as in the trust list (§5) ] }
 *
 * Opening it needs the authority key from the region's certificate; whether every entry belongs to the
 * certificate's region is the bundle's rule (trust-bundle.ts), which drops foreign entries one by one.
 */
import { cborDecode, cborEncode, isMap, isUint, type CborValue } from '../cbor.js';
import { parseCose, sigStructure, signCose } from '../cose.js';
import { fromBase64Url, toHex } from '../bytes.js';
import { strictVerify, type Ed25519Backend, type SignFn } from '../ed25519/ed25519.js';
import { REGION_RE } from '../claims.js';
import { decodeKeyEntries, encodeKeyEntry, type IssuerKey } from '../trust-list.js';

export const REGION_KEYS_CONTENT_TYPE = 'application/tx-region-keys+cbor';

export interface RegionKeyList {
	region: string;
	version: number;
	issuedAt: number;
	maxAge: number;
	keys: IssuerKey[];
}

export function signRegionKeyList(list: RegionKeyList, authority: { kid: Uint8Array; sign: SignFn }): Promise<Uint8Array> {
	const payload = cborEncode(
		new Map<string, CborValue>([
			['v', 1],
			['region', list.region],
			['version', list.version],
			['issuedAt', list.issuedAt],
			['maxAge', list.maxAge],
			['keys', list.keys.map(encodeKeyEntry)]
		])
	);
	return signCose(payload, { kid: authority.kid, sign: authority.sign, contentType: REGION_KEYS_CONTENT_TYPE });
}

/** The signer's kid (hex) without checking anything else: which certificate to check the list against. */
export function regionKeyListSigner(bytes: Uint8Array): string | null {
	const cose = parseCose(cborDecode(bytes));
	return typeof cose === 'string' || cose.contentType !== REGION_KEYS_CONTENT_TYPE ? null : toHex(cose.kid);
}

/** Checks the authority's signature and the fields. */
export async function openRegionKeyList(
	bytes: Uint8Array,
	opts: { authorityPublicKey: string; backend: Ed25519Backend }
): Promise<{ ok: true; list: RegionKeyList } | { ok: false; detail: string }> {
	const bad = (detail: string) => ({ ok: false as const, detail });
	const cose = parseCose(cborDecode(bytes));
	if (typeof cose === 'string') return bad('not a COSE_Sign1 EdDSA object');
	if (cose.contentType !== REGION_KEYS_CONTENT_TYPE) return bad('not a region key list');
	const pub = fromBase64Url(opts.authorityPublicKey)!;
	if (!(await strictVerify(opts.backend, pub, sigStructure(cose.protectedBytes, cose.payload), cose.signature)))
		return bad('authority signature does not verify');
	const m = cborDecode(cose.payload);
	if (!isMap(m) || m.get('v') !== 1 || m.size !== 6) return bad('unsupported region key list format');
	const region = m.get('region'),
		version = m.get('version'),
		issuedAt = m.get('issuedAt'),
		maxAge = m.get('maxAge'),
		keys = m.get('keys');
	if (typeof region !== 'string' || !REGION_RE.test(region)) return bad('bad region');
	if (!isUint(version) || version < 1 || !isUint(issuedAt) || !isUint(maxAge) || !Array.isArray(keys)) return bad('missing fields');
	const entries = decodeKeyEntries(keys);
	if (typeof entries === 'string') return bad(entries);
	return { ok: true, list: { region, version, issuedAt, maxAge, keys: entries } };
}
