/**
 * Federation certificates (docs/code-format.md §10): the offline national root vouches for a region's authority
 * key (which signs that region's issuer-key lists and status lists... through the issuer keys it lists), the
 * region's exchange key (fed-facts: signs its fact batches), and the gateway's key. A verifier trusts a region's
 * issuer keys only through root → certificate → key list, so the gateway, which carries everything, can
 * withhold a region's documents but never add a key (it holds no authority key).
 *
 * Certificate payload (CBOR map, text keys), COSE_Sign1 by the root, content type application/tx-cert+cbor:
 *   region:  { v: 1, role: "region", region: tstr, authority: bstr .size 32, exchange: bstr .size 32,
 *              notBefore: uint, notAfter: uint, issuedAt: uint }
 *   gateway: { v: 1, role: "gateway", name: tstr, key: bstr .size 32, notBefore: uint, notAfter: uint, issuedAt: uint }
 *
 * Revocations (COSE_Sign1 by the root, application/tx-cert-revocations+cbor):
 *   { v: 1, version: uint (only grows), issuedAt: uint, revoked: [* bstr .size 8] }   ; authority/gateway key kids
 * A revoked kid refuses every certificate for that key, whatever its window.
 */
import { cborDecode, cborEncode, isBytes, isMap, isUint, type CborValue } from '../cbor.js';
import { parseCose, sigStructure, signCose } from '../cose.js';
import { bytesEqual, fromBase64Url, fromHex, toBase64Url, toHex } from '../bytes.js';
import { strictVerify, type Ed25519Backend, type SignFn } from '../ed25519/ed25519.js';
import { isAcceptablePublicKey } from '../ed25519/strict.js';
import { kidOf } from '../kid.js';
import { REGION_RE } from '../claims.js';

export const CERT_CONTENT_TYPE = 'application/tx-cert+cbor';
export const CERT_REVOCATIONS_CONTENT_TYPE = 'application/tx-cert-revocations+cbor';

export interface RegionCertificate {
	role: 'region';
	region: string;
	/** base64url public keys */
	authority: string;
	exchange: string;
	notBefore: number;
	notAfter: number;
	issuedAt: number;
}

export interface GatewayCertificate {
	role: 'gateway';
	name: string;
	key: string;
	notBefore: number;
	notAfter: number;
	issuedAt: number;
}

export type Certificate = RegionCertificate | GatewayCertificate;

export interface CertRevocations {
	version: number;
	issuedAt: number;
	/** hex kids of revoked authority (or gateway) keys */
	revoked: string[];
}

type Signer = { kid: Uint8Array; sign: SignFn };
type Opened<T> = { ok: true; value: T } | { ok: false; detail: string };

export function signCertificate(cert: Certificate, root: Signer): Promise<Uint8Array> {
	const m = new Map<string, CborValue>([
		['v', 1],
		['role', cert.role]
	]);
	if (cert.role === 'region') {
		m.set('region', cert.region);
		m.set('authority', fromBase64Url(cert.authority));
		m.set('exchange', fromBase64Url(cert.exchange));
	} else {
		m.set('name', cert.name);
		m.set('key', fromBase64Url(cert.key));
	}
	m.set('notBefore', cert.notBefore);
	m.set('notAfter', cert.notAfter);
	m.set('issuedAt', cert.issuedAt);
	return signCose(cborEncode(m), { kid: root.kid, sign: root.sign, contentType: CERT_CONTENT_TYPE });
}

export function signCertRevocations(r: CertRevocations, root: Signer): Promise<Uint8Array> {
	const payload = cborEncode(
		new Map<string, CborValue>([
			['v', 1],
			['version', r.version],
			['issuedAt', r.issuedAt],
			['revoked', r.revoked.map((k) => fromHex(k)!)]
		])
	);
	return signCose(payload, { kid: root.kid, sign: root.sign, contentType: CERT_REVOCATIONS_CONTENT_TYPE });
}

/** Checks the root signature and content type, returns the payload (or why not). */
async function openRootSigned(
	bytes: Uint8Array,
	contentType: string,
	rootPublicKey: Uint8Array,
	backend: Ed25519Backend
): Promise<Opened<CborValue>> {
	const cose = parseCose(cborDecode(bytes));
	if (typeof cose === 'string') return { ok: false, detail: 'not a COSE_Sign1 EdDSA object' };
	if (cose.contentType !== contentType) return { ok: false, detail: `not ${contentType}` };
	if (!bytesEqual(cose.kid, kidOf(rootPublicKey))) return { ok: false, detail: 'signed by a key other than the pinned root' };
	if (!(await strictVerify(backend, rootPublicKey, sigStructure(cose.protectedBytes, cose.payload), cose.signature)))
		return { ok: false, detail: 'root signature does not verify' };
	const m = cborDecode(cose.payload);
	return m === null ? { ok: false, detail: 'payload is not CBOR' } : { ok: true, value: m };
}

function publicKeyField(m: Map<CborValue, CborValue>, name: string): string | null {
	const k = m.get(name);
	return isBytes(k, 32) && isAcceptablePublicKey(k) ? toBase64Url(k) : null;
}

/** A root-signed certificate, checked (signature, fields, acceptable keys). Its window is the caller's to judge. */
export async function openCertificate(
	bytes: Uint8Array,
	opts: { rootPublicKey: Uint8Array; backend: Ed25519Backend }
): Promise<Opened<Certificate>> {
	const opened = await openRootSigned(bytes, CERT_CONTENT_TYPE, opts.rootPublicKey, opts.backend);
	if (!opened.ok) return opened;
	const m = opened.value;
	const bad = (detail: string) => ({ ok: false as const, detail });
	if (!isMap(m) || m.get('v') !== 1) return bad('unsupported certificate format');
	const notBefore = m.get('notBefore'),
		notAfter = m.get('notAfter'),
		issuedAt = m.get('issuedAt');
	if (!isUint(notBefore) || !isUint(notAfter) || !isUint(issuedAt) || notAfter <= notBefore) return bad('bad certificate window');
	const role = m.get('role');
	if (role === 'region') {
		if (m.size !== 8) return bad('unknown certificate fields');
		const region = m.get('region');
		if (typeof region !== 'string' || !REGION_RE.test(region)) return bad('bad region');
		const authority = publicKeyField(m, 'authority'),
			exchange = publicKeyField(m, 'exchange');
		if (!authority || !exchange) return bad('unacceptable public key');
		if (authority === exchange) return bad('authority and exchange keys must differ');
		return { ok: true, value: { role, region, authority, exchange, notBefore, notAfter, issuedAt } };
	}
	if (role === 'gateway') {
		if (m.size !== 7) return bad('unknown certificate fields');
		const name = m.get('name'),
			key = publicKeyField(m, 'key');
		if (typeof name !== 'string' || !name || name.length > 64) return bad('bad gateway name');
		if (!key) return bad('unacceptable public key');
		return { ok: true, value: { role, name, key, notBefore, notAfter, issuedAt } };
	}
	return bad('unknown certificate role');
}

export async function openCertRevocations(
	bytes: Uint8Array,
	opts: { rootPublicKey: Uint8Array; backend: Ed25519Backend }
): Promise<Opened<CertRevocations>> {
	const opened = await openRootSigned(bytes, CERT_REVOCATIONS_CONTENT_TYPE, opts.rootPublicKey, opts.backend);
	if (!opened.ok) return opened;
	const m = opened.value;
	if (!isMap(m) || m.get('v') !== 1 || m.size !== 4) return { ok: false, detail: 'unsupported revocations format' };
	const version = m.get('version'),
		issuedAt = m.get('issuedAt'),
		revoked = m.get('revoked');
	if (!isUint(version) || !isUint(issuedAt) || !Array.isArray(revoked) || !revoked.every((k) => isBytes(k, 8)))
		return { ok: false, detail: 'bad revocations fields' };
	return { ok: true, value: { version, issuedAt, revoked: (revoked as Uint8Array[]).map(toHex) } };
}

/** The hex kid of a base64url public key. */
export function kidHexOf(publicKey: string): string {
	return toHex(kidOf(fromBase64Url(publicKey)!));
}
