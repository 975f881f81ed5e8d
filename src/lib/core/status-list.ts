/**
 * The issuer's status list: ids of codes withdrawn before their `exp` (colour changed, code replaced, key
 * compromised). Signed by a regional issuer key from the trust list. A full list or a delta since a
 * sequence number; `seq` only grows, so a replayed older list is refused.
 *
 * Payload (CBOR map, text keys): { v: 1, region: tstr, seq: uint, since: uint (0 = full list, else the seq
 *   this delta applies to), issuedAt: uint, maxAge: uint, revoked: [* bstr] (code ids) }
 */
import { cborDecode, cborEncode, isBytes, isMap, isUint, type CborValue } from './cbor.js';
import { parseCose, sigStructure, signCose } from './cose.js';
import { fromBase64Url, toBase64Url, toHex } from './bytes.js';
import { strictVerify, type Ed25519Backend, type SignFn } from './ed25519/ed25519.js';
import { CODE_ID_MAX_BYTES, CODE_ID_MIN_BYTES, REGION_RE } from './claims.js';
import type { TrustList } from './trust-list.js';

export const STATUS_LIST_CONTENT_TYPE = 'application/tx-status-list+cbor';

export interface StatusListContent {
	region: string;
	seq: number;
	/** 0 for a full list; otherwise the sequence number this delta continues. */
	since: number;
	issuedAt: number;
	maxAge: number;
	/** Code ids (base64url). */
	revoked: string[];
}

/** A status list whose signature was checked against the trust list (or the merge of such lists). */
export interface StatusList extends Omit<StatusListContent, 'revoked' | 'since'> {
	readonly opened: true;
	readonly revoked: ReadonlySet<string>;
}

export type StatusListProblem = 'status-list-invalid' | 'status-list-rollback' | 'status-list-gap';

export function signStatusList(content: StatusListContent, issuer: { kid: Uint8Array; sign: SignFn }): Promise<Uint8Array> {
	const payload = cborEncode(
		new Map<string, CborValue>([
			['v', 1],
			['region', content.region],
			['seq', content.seq],
			['since', content.since],
			['issuedAt', content.issuedAt],
			['maxAge', content.maxAge],
			['revoked', content.revoked.map((id) => fromBase64Url(id)!)]
		])
	);
	return signCose(payload, { kid: issuer.kid, sign: issuer.sign, contentType: STATUS_LIST_CONTENT_TYPE });
}

/** Verifies a full list or a delta: signed by a non-compromised key of the same region, issued in its window. */
export async function openStatusDocument(
	bytes: Uint8Array,
	opts: { trustList: TrustList; backend: Ed25519Backend }
): Promise<{ ok: true; content: StatusListContent } | { ok: false; reason: 'status-list-invalid'; detail: string }> {
	const bad = (detail: string) => ({ ok: false as const, reason: 'status-list-invalid' as const, detail });
	const cose = parseCose(cborDecode(bytes));
	if (typeof cose === 'string') return bad('not a COSE_Sign1 EdDSA object');
	if (cose.contentType !== STATUS_LIST_CONTENT_TYPE) return bad('not a status list');
	const key = opts.trustList.byKid.get(toHex(cose.kid));
	if (!key) return bad('signed by a key not in the trust list');
	if (key.status === 'compromised') return bad('signed by a compromised key');
	if (!(await strictVerify(opts.backend, fromBase64Url(key.publicKey)!, sigStructure(cose.protectedBytes, cose.payload), cose.signature))) {
		return bad('signature does not verify');
	}
	const m = cborDecode(cose.payload);
	if (!isMap(m) || m.get('v') !== 1) return bad('unsupported status list format');
	const region = m.get('region'),
		seq = m.get('seq'),
		since = m.get('since');
	const issuedAt = m.get('issuedAt'),
		maxAge = m.get('maxAge'),
		revoked = m.get('revoked');
	if (typeof region !== 'string' || !REGION_RE.test(region) || !isUint(seq) || !isUint(since) || since >= seq) return bad('bad header');
	if (!isUint(issuedAt) || !isUint(maxAge) || !Array.isArray(revoked)) return bad('missing fields');
	if (!revoked.every((id) => isBytes(id) && id.length >= CODE_ID_MIN_BYTES && id.length <= CODE_ID_MAX_BYTES)) return bad('bad code id');
	if (key.region !== region) return bad(`key of region ${key.region} signed a list for ${region}`);
	if (issuedAt < key.notBefore || issuedAt > key.notAfter) return bad('issued outside its key window');
	return { ok: true, content: { region, seq, since, issuedAt, maxAge, revoked: (revoked as Uint8Array[]).map(toBase64Url) } };
}

/**
 * Applies a verified full list or delta to what the device holds. A full list replaces an older one; a delta
 * applies only on top of exactly the sequence it continues (otherwise fetch the full list).
 */
export function applyStatusDocument(
	current: StatusList | undefined,
	doc: StatusListContent
): { ok: true; list: StatusList } | { ok: false; reason: StatusListProblem; detail: string } {
	if (current && current.region !== doc.region) return { ok: false, reason: 'status-list-invalid', detail: 'region differs' };
	if (current && doc.seq <= current.seq) {
		return { ok: false, reason: 'status-list-rollback', detail: `seq ${doc.seq} is not newer than ${current.seq}` };
	}
	const base = { region: doc.region, seq: doc.seq, issuedAt: doc.issuedAt, maxAge: doc.maxAge, opened: true as const };
	if (doc.since === 0) return { ok: true, list: { ...base, revoked: new Set(doc.revoked) } };
	if (!current || current.seq !== doc.since) {
		return { ok: false, reason: 'status-list-gap', detail: `delta continues seq ${doc.since}, device has ${current?.seq ?? 'none'}` };
	}
	return { ok: true, list: { ...base, revoked: new Set([...current.revoked, ...doc.revoked]) } };
}

/** Convenience: open and apply to nothing (a full list). */
export async function openStatusList(
	bytes: Uint8Array,
	opts: { trustList: TrustList; backend: Ed25519Backend }
): Promise<{ ok: true; list: StatusList } | { ok: false; reason: StatusListProblem; detail: string }> {
	const doc = await openStatusDocument(bytes, opts);
	if (!doc.ok) return doc;
	if (doc.content.since !== 0) return { ok: false, reason: 'status-list-gap', detail: 'a delta needs the list it continues' };
	return applyStatusDocument(undefined, doc.content);
}
