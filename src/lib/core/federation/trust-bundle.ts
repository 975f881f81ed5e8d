/**
 * The national trust bundle (docs/code-format.md §10.3): what the gateway aggregates and every scanner
 * caches. It is NOT signed by the gateway and needs no gateway signature: each document in it carries its own
 * signature, and a verifier accepts an issuer key only through the chain
 *
 *   pinned root → region certificate (inside its window, not revoked) → that region's key list, signed by the
 *   certificate's authority key, for the certificate's region → key entry whose region is the certificate's region.
 *
 * So a gateway (or anyone on the path) can withhold or delay documents but cannot add a key, and no region can
 * add a key for another region. Documents may come in any order; for each region the newest key-list version
 * wins, and a version older than the one a device holds is reported as a rollback (the device keeps its own).
 *
 * Bundle (CBOR map, text keys; application/tx-trust-bundle+cbor):
 *   { v: 1, issuedAt: uint (the sender's clock, unsigned, informational only),
 *     certs: [* bstr], revocations: [* bstr], keyLists: [* bstr], statusLists: [* bstr] }
 * Each bstr is one signed COSE_Sign1 document: certificates and revocations (certificate.ts), region key lists
 * (region-key-list.ts), status lists or deltas (status-list.ts, signed by an issuer key of their region).
 */
import { cborDecode, cborEncode, isBytes, isMap, isUint, type CborValue } from '../cbor.js';
import { bytesEqual, fromBase64Url, toHex } from '../bytes.js';
import { parseCose } from '../cose.js';
import { CLOCK_SKEW_SECONDS } from '../constants.js';
import type { Ed25519Backend } from '../ed25519/ed25519.js';
import type { IssuerKey, RegionTrust, TrustList } from '../trust-list.js';
import { kidHexOf, openCertificate, openCertRevocations, type RegionCertificate } from './certificate.js';
import { openRegionKeyList, regionKeyListSigner, type RegionKeyList } from './region-key-list.js';

export const TRUST_BUNDLE_CONTENT_TYPE = 'application/tx-trust-bundle+cbor';

export interface TrustBundle {
	issuedAt: number;
	certs: Uint8Array[];
	revocations: Uint8Array[];
	keyLists: Uint8Array[];
	statusLists: Uint8Array[];
}

const PARTS = ['certs', 'revocations', 'keyLists', 'statusLists'] as const;
/** A bound on work per bundle (333 regions, a few certificates and deltas each, fits with room). */
export const MAX_BUNDLE_DOCUMENTS = 20_000;

export function encodeTrustBundle(b: TrustBundle): Uint8Array {
	return cborEncode(
		new Map<string, CborValue>([
			['v', 1],
			['issuedAt', b.issuedAt],
			['certs', b.certs],
			['revocations', b.revocations],
			['keyLists', b.keyLists],
			['statusLists', b.statusLists]
		])
	);
}

export function decodeTrustBundle(bytes: Uint8Array): TrustBundle | string {
	const m = cborDecode(bytes);
	if (!isMap(m) || m.get('v') !== 1) return 'not a version 1 trust bundle';
	const issuedAt = m.get('issuedAt');
	if (!isUint(issuedAt)) return 'missing issuedAt';
	const out: TrustBundle = { issuedAt, certs: [], revocations: [], keyLists: [], statusLists: [] };
	let n = 0;
	for (const part of PARTS) {
		const docs = m.get(part);
		if (!Array.isArray(docs) || !docs.every((d) => isBytes(d))) return `bad ${part}`;
		n += docs.length;
		out[part] = docs;
	}
	if (n > MAX_BUNDLE_DOCUMENTS) return 'too many documents';
	return out;
}

/** Two bundles' documents together (what a device holds plus what it just downloaded), byte-identical ones once. */
export function mergeTrustBundles(a: TrustBundle, b: TrustBundle): TrustBundle {
	const merge = (x: Uint8Array[], y: Uint8Array[]) => {
		const out = [...x];
		for (const d of y) if (!out.some((o) => bytesEqual(o, d))) out.push(d);
		return out;
	};
	return {
		issuedAt: Math.max(a.issuedAt, b.issuedAt),
		certs: merge(a.certs, b.certs),
		revocations: merge(a.revocations, b.revocations),
		keyLists: merge(a.keyLists, b.keyLists),
		statusLists: merge(a.statusLists, b.statusLists)
	};
}

export interface OpenedTrustBundle {
	/** The accepted keys, as verifyCode and openStatusDocument take them (with per-region freshness). */
	trust: TrustList;
	/** Per region: its certificate and the key list chosen. */
	regions: Map<string, { cert: RegionCertificate; list: RegionKeyList; listBytes: Uint8Array }>;
	/** What was refused and why, one sentence each (for the screen's and the operator's "why"). */
	problems: string[];
	/** Regions whose newest key list here is older than the version the device already held. */
	rollbacks: string[];
	/** The documents worth keeping: accepted certificates, valid revocations, the chosen key list per region. */
	kept: Omit<TrustBundle, 'statusLists'>;
}

/**
 * Opens a bundle's trust documents at time `nowSec` (the verifier's clock). `held` is the key-list version per
 * region the device accepted before (rollback guard). Never throws; bad documents become `problems`.
 */
export async function openTrustBundle(
	bundle: TrustBundle,
	opts: { rootPublicKey: Uint8Array; backend: Ed25519Backend; nowSec: number; held?: ReadonlyMap<string, number> }
): Promise<OpenedTrustBundle> {
	const problems: string[] = [];
	const refused = new Map<string, string>();
	const revokedKids = new Set<string>();
	const keptRevocations: Uint8Array[] = [];
	for (const bytes of bundle.revocations) {
		const r = await openCertRevocations(bytes, opts);
		if (!r.ok) problems.push(`certificate revocations refused: ${r.detail}`);
		else {
			for (const k of r.value.revoked) revokedKids.add(k);
			keptRevocations.push(bytes);
		}
	}
	// authority kid → its certificate, for certificates valid now and not revoked
	const authorities = new Map<string, { cert: RegionCertificate; bytes: Uint8Array }>();
	for (const bytes of bundle.certs) {
		const c = await openCertificate(bytes, opts);
		if (!c.ok) {
			problems.push(`certificate refused: ${c.detail}`);
			continue;
		}
		if (c.value.role !== 'region') continue; // the gateway's certificate vouches for no issuer key
		const cert = c.value;
		const kid = kidHexOf(cert.authority);
		if (revokedKids.has(kid))
			problems.push(`certificate of region ${cert.region} refused: its authority key ${kid} is revoked by the root`);
		else if (opts.nowSec + CLOCK_SKEW_SECONDS < cert.notBefore)
			problems.push(`certificate of region ${cert.region} refused: not valid yet`);
		else if (opts.nowSec > cert.notAfter) problems.push(`certificate of region ${cert.region} refused: expired`);
		else if (!authorities.has(kid)) authorities.set(kid, { cert, bytes });
	}
	const chosen = new Map<string, { cert: RegionCertificate; list: RegionKeyList; listBytes: Uint8Array }>();
	for (const bytes of bundle.keyLists) {
		const signer = regionKeyListSigner(bytes);
		const auth = signer === null ? undefined : authorities.get(signer);
		if (!auth) {
			const why = `key list signed by ${signer ?? 'nothing readable'}, which is not the authority of a valid region certificate`;
			problems.push(`key list refused: ${why}`);
			for (const kid of unverifiedKids(bytes)) refused.set(kid, why);
			continue;
		}
		const opened = await openRegionKeyList(bytes, { authorityPublicKey: auth.cert.authority, backend: opts.backend });
		if (!opened.ok) {
			problems.push(`key list of region ${auth.cert.region} refused: ${opened.detail}`);
			continue;
		}
		if (opened.list.region !== auth.cert.region) {
			const why = `the authority of region ${auth.cert.region} signed a key list for region ${opened.list.region}`;
			problems.push(`key list refused: ${why}`);
			for (const k of opened.list.keys) refused.set(k.kid, why);
			continue;
		}
		const current = chosen.get(opened.list.region);
		if (!current || opened.list.version > current.list.version)
			chosen.set(opened.list.region, { cert: auth.cert, list: opened.list, listBytes: bytes });
	}
	const rollbacks: string[] = [];
	const keys: IssuerKey[] = [];
	const regions = new Map<string, RegionTrust>();
	const owners = new Map<string, string>();
	const duplicates = new Set<string>();
	for (const [region, { cert, list }] of [...chosen].sort(([a], [b]) => a.localeCompare(b))) {
		const held = opts.held?.get(region);
		if (held !== undefined && list.version < held) {
			rollbacks.push(region);
			problems.push(`key list of region ${region} refused: version ${list.version} is older than ${held} (rollback)`);
		}
		regions.set(region, {
			region,
			version: list.version,
			issuedAt: list.issuedAt,
			maxAge: list.maxAge,
			certNotBefore: cert.notBefore,
			certNotAfter: cert.notAfter
		});
		for (const k of list.keys) {
			if (k.region !== cert.region) {
				const why = `region ${region}'s key list names key ${k.kid} for region ${k.region}: a region vouches only for its own keys`;
				problems.push(why);
				refused.set(k.kid, why);
			} else if (owners.has(k.kid)) {
				const why = `key ${k.kid} is listed by regions ${owners.get(k.kid)} and ${region}`;
				problems.push(why);
				refused.set(k.kid, why);
				duplicates.add(k.kid);
			} else {
				owners.set(k.kid, region);
				keys.push(k);
			}
		}
	}
	// A key two regions both claim is refused for both. A kid named only by a refused list (a gateway copying a
	// real entry into a forged list) does not touch the real key.
	const accepted = keys.filter((k) => !duplicates.has(k.kid));
	for (const k of accepted) refused.delete(k.kid);
	const lists = [...chosen.values()];
	const kept = {
		issuedAt: bundle.issuedAt,
		certs: [...new Set(lists.map((c) => authorities.get(kidHexOf(c.cert.authority))!.bytes))],
		revocations: keptRevocations,
		keyLists: lists.map((c) => c.listBytes)
	};
	const trust: TrustList = {
		opened: true,
		version: lists.reduce((s, c) => s + c.list.version, 0),
		issuedAt: lists.reduce((m, c) => Math.max(m, c.list.issuedAt), 0),
		maxAge: lists.reduce((m, c) => Math.min(m, c.list.maxAge), Number.MAX_SAFE_INTEGER),
		keys: accepted,
		bytes: encodeTrustBundle({ ...kept, statusLists: [] }),
		byKid: new Map(accepted.map((k) => [k.kid, k])),
		regions,
		refused
	};
	return { trust, regions: chosen, problems, rollbacks, kept };
}

/** The kids a refused key list claims, read without trusting it: only to say why a code's key is unknown. */
function unverifiedKids(bytes: Uint8Array): string[] {
	const cose = parseCose(cborDecode(bytes));
	if (typeof cose === 'string') return [];
	const m = cborDecode(cose.payload);
	const keys = isMap(m) ? m.get('keys') : null;
	if (!Array.isArray(keys)) return [];
	const out: string[] = [];
	for (const e of keys) {
		const kid = isMap(e) ? e.get('kid') : null;
		if (isBytes(kid, 8)) out.push(toHex(kid));
	}
	return out;
}

/** The regions' key-list versions an opened bundle holds, as `?have=` sends them (region:version,…). */
export function heldVersions(trust: TrustList): Map<string, number> {
	return new Map([...(trust.regions ?? new Map<string, RegionTrust>())].map(([r, t]) => [r, t.version]));
}

/** Base64url-or-bytes helper for vectors and the CLI. */
export function bundleFromBase64Url(text: string): TrustBundle | string {
	const bytes = fromBase64Url(text);
	return bytes ? decodeTrustBundle(bytes) : 'not base64url';
}
