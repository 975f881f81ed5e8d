/**
 * The offline root key ceremony (docs/issuance.md "Production keys"). The root private key signs trust lists
 * and must never be on the online server: whoever holds it can admit any issuer key, and so sign any colour.
 *
 * 1. Offline machine: `tongxing keys init --root-only --out DIR` → DIR/root.json (private, 0600) and
 *    DIR/root-public-key.txt (what every server and app pins).
 * 2. Server: `tongxing keys request --out FILE` → a trust request: the public half of every issuer key the server
 *    holds (kid, region, public key, signing window, status) and the trust-list version it has installed.
 * 3. Offline machine: `tongxing keys sign-trust-list --root DIR --request FILE [--request FILE…] --out LIST` signs
 *    the entries of one or several requests (several regional issuers under one national root) into one list,
 *    with a version above every one it signed before (DIR/state.json) and above each request's installed one.
 * 4. Server: `tongxing keys install-trust-list LIST [--root-public-key FILE]` verifies the list against the pinned
 *    root public key (pinning it on first install), refuses rollbacks and a list that leaves out or contradicts
 *    the server's own signing keys, and installs it in DATA_DIR/public.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fromBase64Url, toBase64Url, toHex } from '../../core/bytes.js';
import { kidOf } from '../../core/kid.js';
import { REGION_RE } from '../../core/claims.js';
import { KEY_STATUSES, openTrustList, signTrustList, type IssuerKey, type TrustList } from '../../core/trust-list.js';
import { createNodeBackend, nodeKeyPair } from '../crypto/node-ed25519.js';
import { newKey, publicIssuerKey, type KeyStore, type StoredKey } from './keystore.js';
import { publicDir, readRootPublicKey, rootPublicKeyPath, trustListPath, TRUST_LIST_MAX_AGE_SECONDS } from './published.js';

export const TRUST_REQUEST_FORMAT = 'tongxing-trust-request/1';

/** What the online server sends to the offline root: public keys only. */
export interface TrustRequest {
	format: typeof TRUST_REQUEST_FORMAT;
	createdAt: number;
	/** the trust-list version the server has installed (0: none); the signed list must be newer */
	installedVersion: number;
	keys: IssuerKey[];
}

/** A ceremony step that cannot go ahead; the message says why (the CLI prints it, exit 1). */
export class KeyCeremonyError extends Error {
	override readonly name = 'KeyCeremonyError';
}

export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
	const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
	writeFileSync(tmp, data, { mode, flag: 'wx' });
	renameSync(tmp, path);
}

/** Step 1: a new root key pair in `outDir` (refuses to overwrite one). */
export function initOfflineRoot(outDir: string): StoredKey {
	const path = join(outDir, 'root.json');
	if (existsSync(path)) throw new KeyCeremonyError(`${path} already exists; nothing changed`);
	mkdirSync(outDir, { recursive: true, mode: 0o700 });
	const root = newKey();
	writeFileAtomic(path, JSON.stringify(root, null, '\t') + '\n', 0o600);
	writeFileAtomic(join(outDir, 'root-public-key.txt'), root.publicKey + '\n');
	writeFileAtomic(join(outDir, 'state.json'), JSON.stringify({ lastVersion: 0 }) + '\n');
	return root;
}

/** The root key of an offline root folder, checked (seed derives the public key; kid matches). Also signs region certificates (federation/ceremony.ts). */
export function readOfflineRoot(rootDir: string): { kid: Uint8Array; publicKey: Uint8Array; sign: ReturnType<typeof nodeKeyPair>['sign'] } {
	const path = join(rootDir, 'root.json');
	let k: Partial<StoredKey>;
	try {
		k = JSON.parse(readFileSync(path, 'utf8')) as Partial<StoredKey>;
	} catch (e) {
		throw new KeyCeremonyError(`${path}: ${(e as { code?: string }).code === 'ENOENT' ? 'no root key here' : 'not readable JSON'}`);
	}
	const seed = typeof k.seed === 'string' ? fromBase64Url(k.seed) : null;
	if (!seed || seed.length !== 32) throw new KeyCeremonyError(`${path}: seed must be 32 bytes, base64url`);
	const pair = nodeKeyPair(seed);
	if (toBase64Url(pair.publicKey) !== k.publicKey) throw new KeyCeremonyError(`${path}: the seed does not match publicKey`);
	return { kid: kidOf(pair.publicKey), publicKey: pair.publicKey, sign: pair.sign };
}

/** Step 2 (server): the request for the keys in `keys`, and the version installed in `dataDir`. */
export function trustRequest(keys: KeyStore, dataDir: string, nowSec: number): TrustRequest {
	return {
		format: TRUST_REQUEST_FORMAT,
		createdAt: nowSec,
		installedVersion: installedVersion(dataDir),
		keys: keys.issuers().map(publicIssuerKey)
	};
}

/** Reads and checks a trust request file: every entry well-formed, its kid derived from its public key. */
export function parseTrustRequest(text: string, file: string): TrustRequest {
	let r: Partial<TrustRequest>;
	try {
		r = JSON.parse(text) as Partial<TrustRequest>;
	} catch {
		throw new KeyCeremonyError(`${file}: not readable JSON`);
	}
	if (r.format !== TRUST_REQUEST_FORMAT) throw new KeyCeremonyError(`${file}: not a ${TRUST_REQUEST_FORMAT} file`);
	if (!Number.isSafeInteger(r.installedVersion) || r.installedVersion! < 0 || !Array.isArray(r.keys) || !r.keys.length)
		throw new KeyCeremonyError(`${file}: missing installedVersion or keys`);
	for (const k of r.keys) {
		const pub = typeof k.publicKey === 'string' ? fromBase64Url(k.publicKey) : null;
		const where = `${file}: key ${String(k.kid)}`;
		if (!pub || pub.length !== 32 || k.kid !== toHex(kidOf(pub))) throw new KeyCeremonyError(`${where}: kid and publicKey do not match`);
		if (typeof k.region !== 'string' || !REGION_RE.test(k.region)) throw new KeyCeremonyError(`${where}: bad region`);
		if (!Number.isSafeInteger(k.notBefore) || !Number.isSafeInteger(k.notAfter) || k.notAfter <= k.notBefore)
			throw new KeyCeremonyError(`${where}: bad signing window`);
		if (!KEY_STATUSES.includes(k.status)) throw new KeyCeremonyError(`${where}: bad status`);
	}
	return r as TrustRequest;
}

/**
 * Step 3 (offline): one trust list over the keys of every request. The same kid in two requests must agree; the
 * version is above the root folder's last one and above every request's installed one.
 */
export async function signTrustRequests(
	rootDir: string,
	requests: readonly TrustRequest[],
	opts: { nowSec: number; maxAgeSeconds?: number }
): Promise<{ bytes: Uint8Array; version: number; keys: IssuerKey[] }> {
	const root = readOfflineRoot(rootDir);
	const byKid = new Map<string, IssuerKey>();
	for (const r of requests) {
		for (const k of r.keys) {
			const seen = byKid.get(k.kid);
			if (seen && JSON.stringify(publicEntry(seen)) !== JSON.stringify(publicEntry(k)))
				throw new KeyCeremonyError(`key ${k.kid} appears twice with different entries`);
			byKid.set(k.kid, publicEntry(k));
		}
	}
	const statePath = join(rootDir, 'state.json');
	const last = existsSync(statePath)
		? Number((JSON.parse(readFileSync(statePath, 'utf8')) as { lastVersion?: number }).lastVersion ?? 0)
		: 0;
	const version = Math.max(last, ...requests.map((r) => r.installedVersion)) + 1;
	const keys = [...byKid.values()].sort(
		(a, b) => a.region.localeCompare(b.region) || a.notBefore - b.notBefore || a.kid.localeCompare(b.kid)
	);
	const bytes = await signTrustList(
		{ version, issuedAt: opts.nowSec, maxAge: opts.maxAgeSeconds ?? TRUST_LIST_MAX_AGE_SECONDS, keys },
		root
	);
	writeFileAtomic(statePath, JSON.stringify({ lastVersion: version }) + '\n');
	return { bytes, version, keys };
}

function publicEntry(k: IssuerKey): IssuerKey {
	return { kid: k.kid, region: k.region, publicKey: k.publicKey, notBefore: k.notBefore, notAfter: k.notAfter, status: k.status };
}

function installedStatePath(dataDir: string): string {
	return join(publicDir(dataDir), 'state.json');
}

function installedVersion(dataDir: string): number {
	const p = installedStatePath(dataDir);
	return existsSync(p) ? Number((JSON.parse(readFileSync(p, 'utf8')) as { trustListVersion?: number }).trustListVersion ?? 0) : 0;
}

/** Which of the server's keys a trust list leaves out or contradicts (each a sentence); empty when it covers them. */
export function uncoveredKeys(keys: KeyStore, list: TrustList, nowSec: number): string[] {
	const out: string[] = [];
	for (const k of keys.issuers()) {
		const listed = list.byKid.get(k.kid);
		const stillUsed = k.status !== 'retired' && k.notAfter > nowSec;
		if (!listed) {
			if (stillUsed || k.status === 'compromised') out.push(`issuer key ${k.kid} (${k.region}, ${k.status}) is not in the list`);
		} else if (listed.publicKey !== k.publicKey) out.push(`issuer key ${k.kid} has another public key in the list`);
		else if (k.status === 'compromised' && listed.status !== 'compromised')
			out.push(`issuer key ${k.kid} is compromised here but ${listed.status} in the list`);
	}
	return out;
}

/** Step 4 (server): verify and install a signed trust list. */
export async function installTrustList(
	keys: KeyStore,
	dataDir: string,
	bytes: Uint8Array,
	opts: { nowSec: number; rootPublicKey?: Uint8Array }
): Promise<{ version: number; pinnedNow: boolean }> {
	const pinned = readRootPublicKey(dataDir);
	if (pinned && opts.rootPublicKey && toBase64Url(pinned) !== toBase64Url(opts.rootPublicKey))
		throw new KeyCeremonyError(`the root public key given is not the one pinned in ${rootPublicKeyPath(dataDir)}`);
	const root = pinned ?? opts.rootPublicKey;
	if (!root)
		throw new KeyCeremonyError(`no pinned root public key in ${rootPublicKeyPath(dataDir)}: pass --root-public-key FILE the first time`);
	const current = installedVersion(dataDir);
	const opened = await openTrustList(bytes, { rootPublicKey: root, backend: createNodeBackend(), minVersion: current + 1 });
	if (!opened.ok) {
		throw new KeyCeremonyError(
			opened.reason === 'trust-list-rollback' ? `refused: ${opened.detail} (installed: v${current})` : `refused: ${opened.detail}`
		);
	}
	const missing = uncoveredKeys(keys, opened.list, opts.nowSec);
	if (missing.length) throw new KeyCeremonyError(`refused: ${missing.join('; ')} — sign a list from this server's current request`);
	mkdirSync(publicDir(dataDir), { recursive: true });
	writeFileAtomic(trustListPath(dataDir), bytes);
	if (!pinned) writeFileAtomic(rootPublicKeyPath(dataDir), toBase64Url(root) + '\n');
	const statePath = installedStatePath(dataDir);
	const state = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown>) : {};
	writeFileAtomic(statePath, JSON.stringify({ ...state, trustListVersion: opened.list.version }, null, '\t') + '\n');
	return { version: opened.list.version, pinnedNow: !pinned };
}

/** Reads a root public key file (base64url text, 32 bytes). */
export function readRootPublicKeyFile(path: string): Uint8Array {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		throw new KeyCeremonyError(`${path}: cannot read it`);
	}
	const key = fromBase64Url(text.trim());
	if (!key || key.length !== 32) throw new KeyCeremonyError(`${path}: not a 32-byte base64url public key`);
	return key;
}
