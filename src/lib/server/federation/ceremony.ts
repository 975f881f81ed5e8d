/**
 * The federation onboarding ceremony (docs/federation.md "Keys and ceremonies"), on top of the offline root of
 * keys/offline-root.ts:
 *
 * 1. Offline root machine: `tongxing federation root-init --out DIR` — the national root (root.json, as
 *    `keys init --root-only`) and the national routing key for ID-number hashes (national-id.key, 32 random bytes
 *    as 64 hex chars; copied to every region as DATA_DIR/keys/national-id.key).
 * 2. Region server: `tongxing federation region-request --region CODE --out FILE` — creates (once) its authority
 *    key (DATA_DIR/keys/authority.json) and exchange key (exchange.json) and an issuer key if it has none; the
 *    request holds public keys only. Gateway server: `federation gateway-request --name NAME --out FILE`.
 * 3. Offline root: `tongxing federation certify --root DIR --request FILE --out CERT [--valid-days 365]` signs a
 *    region certificate (or the gateway certificate) with its window.
 * 4. Region and gateway: `tongxing federation install CERT [--root-public-key FILE]` — checks it against the
 *    national root (pinning the root on first install), stores it; a region that finds its own authority key in
 *    it becomes federated (DATA_DIR/keys/region-certificate.cose). The gateway gets every region's certificate.
 * 5. Compromise: the region marks the issuer key compromised (`tongxing keys compromise KID`: its next key list
 *    says so), or the root revokes the region's authority key: `federation revoke --root DIR --kid KID --out FILE`,
 *    installed at the gateway with `federation install FILE` — refused everywhere after the next refresh.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fromBase64Url, toBase64Url } from '../../core/bytes.js';
import { REGION_RE } from '../../core/claims.js';
import { cborDecode } from '../../core/cbor.js';
import { parseCose } from '../../core/cose.js';
import {
	CERT_CONTENT_TYPE,
	CERT_REVOCATIONS_CONTENT_TYPE,
	kidHexOf,
	signCertificate,
	signCertRevocations
} from '../../core/federation/certificate.js';
import { initOfflineRoot, KeyCeremonyError, readOfflineRoot, writeFileAtomic } from '../keys/offline-root.js';
import { newKey, type KeyStore, type StoredKey } from '../keys/keystore.js';
import { ensureIssuerKey, readRootPublicKey, rootPublicKeyPath, publicDir } from '../keys/published.js';
import type { Store } from '../store/db.js';
import { createNodeBackend } from '../crypto/node-ed25519.js';
import { loadOrCreateExchangeKey } from './exchange-key.js';
import { authorityKeyPath, readAuthorityKey, regionCertificatePath } from '../keys/region-certificate-files.js';
import { installCertificate, installRevocations } from './gateway-trust.js';
import { DomainError } from '../domain-error.js';

export const REGION_REQUEST_FORMAT = 'tongxing-region-request/1';
export const GATEWAY_REQUEST_FORMAT = 'tongxing-gateway-request/1';

export type CertRequest =
	| { format: typeof REGION_REQUEST_FORMAT; region: string; authority: string; exchange: string }
	| { format: typeof GATEWAY_REQUEST_FORMAT; name: string; key: string };

/** Step 1: the national root and routing key. The routing key is written only if absent. */
export function initNationalRoot(outDir: string): { root: StoredKey; nationalIdKeyPath: string } {
	const root = initOfflineRoot(outDir);
	return { root, nationalIdKeyPath: ensureNationalIdKey(outDir) };
}

/** DIR/national-id.key: 32 random bytes as 64 hex chars + newline, mode 0600 (created if absent). */
export function ensureNationalIdKey(dir: string): string {
	const path = join(dir, 'national-id.key');
	if (!existsSync(path)) {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		writeFileAtomic(path, randomBytes(32).toString('hex') + '\n', 0o600);
	}
	return path;
}

function loadOrCreateKey(path: string): StoredKey {
	if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as StoredKey;
	mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
	const key = newKey();
	writeFileAtomic(path, JSON.stringify(key, null, '\t') + '\n', 0o600);
	return key;
}

/** Step 2 (region): its authority and exchange keys (and an issuer key if none), as a request for the root. */
export async function regionRequest(
	keys: KeyStore,
	dataDir: string,
	opts: { region: string; nowSec: number; validDays?: number }
): Promise<CertRequest> {
	if (!REGION_RE.test(opts.region)) throw new KeyCeremonyError(`bad region code ${opts.region}`);
	const authority = loadOrCreateKey(authorityKeyPath(dataDir));
	const exchange = loadOrCreateExchangeKey(dataDir);
	await ensureIssuerKey(keys, dataDir, { region: opts.region, validDays: opts.validDays ?? 365, nowSec: opts.nowSec });
	return { format: REGION_REQUEST_FORMAT, region: opts.region, authority: authority.publicKey, exchange: exchange.publicKey };
}

/** Step 2 (gateway): its key (DATA_DIR/keys/gateway.json). */
export function gatewayRequest(dataDir: string, name: string): CertRequest {
	if (!/^[\w.-]{1,64}$/.test(name)) throw new KeyCeremonyError('gateway name: 1–64 letters, digits, . _ -');
	const key = loadOrCreateKey(join(dataDir, 'keys', 'gateway.json'));
	return { format: GATEWAY_REQUEST_FORMAT, name, key: key.publicKey };
}

export function parseCertRequest(text: string, file: string): CertRequest {
	let r: Record<string, unknown>;
	try {
		r = JSON.parse(text) as Record<string, unknown>;
	} catch {
		throw new KeyCeremonyError(`${file}: not readable JSON`);
	}
	const key = (k: unknown) => typeof k === 'string' && fromBase64Url(k)?.length === 32;
	if (r.format === REGION_REQUEST_FORMAT && typeof r.region === 'string' && REGION_RE.test(r.region) && key(r.authority) && key(r.exchange))
		return r as CertRequest;
	if (r.format === GATEWAY_REQUEST_FORMAT && typeof r.name === 'string' && key(r.key)) return r as CertRequest;
	throw new KeyCeremonyError(`${file}: not a region or gateway certificate request`);
}

/** Step 3 (offline): the root signs the request into a certificate valid from now for `validDays`. */
export async function certify(rootDir: string, request: CertRequest, opts: { nowSec: number; validDays: number }): Promise<Uint8Array> {
	const root = readOfflineRoot(rootDir);
	const window = { notBefore: opts.nowSec, notAfter: opts.nowSec + opts.validDays * 86400, issuedAt: opts.nowSec };
	return request.format === REGION_REQUEST_FORMAT
		? signCertificate({ role: 'region', region: request.region, authority: request.authority, exchange: request.exchange, ...window }, root)
		: signCertificate({ role: 'gateway', name: request.name, key: request.key, ...window }, root);
}

/** Step 5 (offline): revocations of every kid the root ever revoked plus `kid`, with a new version. */
export async function revokeKey(
	rootDir: string,
	kid: string,
	nowSec: number
): Promise<{ bytes: Uint8Array; version: number; revoked: string[] }> {
	if (!/^[0-9a-f]{16}$/.test(kid)) throw new KeyCeremonyError('a kid is 16 hex digits');
	const root = readOfflineRoot(rootDir);
	const statePath = join(rootDir, 'revocations.json');
	const state = existsSync(statePath)
		? (JSON.parse(readFileSync(statePath, 'utf8')) as { version: number; revoked: string[] })
		: { version: 0, revoked: [] as string[] };
	const revoked = [...new Set([...state.revoked, kid])].sort();
	const version = state.version + 1;
	const bytes = await signCertRevocations({ version, issuedAt: nowSec, revoked }, root);
	writeFileAtomic(statePath, JSON.stringify({ version, revoked }) + '\n');
	return { bytes, version, revoked };
}

/** Step 4/5 (region or gateway): installs a certificate or revocations, pinning the national root on first use. */
export async function installFederationDocument(
	deps: { db: Store; dataDir: string; clock: () => number },
	bytes: Uint8Array,
	opts: { rootPublicKey?: Uint8Array } = {}
): Promise<string> {
	const pinned = readRootPublicKey(deps.dataDir);
	if (pinned && opts.rootPublicKey && toBase64Url(pinned) !== toBase64Url(opts.rootPublicKey))
		throw new KeyCeremonyError(`the root public key given is not the one pinned in ${rootPublicKeyPath(deps.dataDir)}`);
	const root = pinned ?? opts.rootPublicKey;
	if (!root)
		throw new KeyCeremonyError(
			`no pinned root public key in ${rootPublicKeyPath(deps.dataDir)}: pass --root-public-key FILE the first time`
		);
	const ctx = { db: deps.db, rootPublicKey: root, backend: createNodeBackend(), now: deps.clock() };
	const cose = parseCose(cborDecode(bytes));
	const type = typeof cose === 'string' ? undefined : cose.contentType;
	try {
		let said: string;
		if (type === CERT_REVOCATIONS_CONTENT_TYPE) {
			const r = await installRevocations(ctx, bytes);
			said = `revocations v${r.version} installed: ${r.revoked.join(', ')}`;
		} else if (type === CERT_CONTENT_TYPE) {
			const c = await installCertificate(ctx, bytes);
			said =
				c.role === 'region'
					? `certificate of region ${c.region} installed (authority ${c.kid})`
					: `gateway certificate installed (${c.kid})`;
			const own = readAuthorityKey(deps.dataDir);
			if (c.role === 'region' && own && kidHexOf(own.publicKey) === c.kid) {
				writeFileAtomic(regionCertificatePath(deps.dataDir), bytes, 0o644);
				said += ': this region is now federated';
			}
		} else throw new KeyCeremonyError('not a certificate or revocations document');
		if (!pinned) {
			mkdirSync(publicDir(deps.dataDir), { recursive: true });
			writeFileAtomic(rootPublicKeyPath(deps.dataDir), toBase64Url(root) + '\n');
		}
		return said;
	} catch (e) {
		if (e instanceof DomainError) throw new KeyCeremonyError(`refused: ${e.detail ?? e.code}`);
		throw e;
	}
}
