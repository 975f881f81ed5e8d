/**
 * The public documents an issuer serves and the CLI reads: the pinned root public key, the signed trust
 * list and the signed status list per region, in DATA_DIR/public. Writes go to a temp file and rename, so
 * a crash never leaves a half-written list for a scanner to download.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64Url } from '../../core/bytes.js';
import { signStatusList } from '../../core/status-list.js';
import { signTrustList } from '../../core/trust-list.js';
import { newKey, publicIssuerKey, signerFor, type KeyStore, type StoredIssuerKey, type StoredKey } from './keystore.js';
import { syncDirOf, writeFileSynced } from '../durable-file.js';

export const TRUST_LIST_MAX_AGE_SECONDS = 7 * 24 * 3600;
export const STATUS_LIST_MAX_AGE_SECONDS = 24 * 3600;

export function publicDir(dataDir: string): string {
	return join(dataDir, 'public');
}

function writeAtomic(path: string, data: Uint8Array | string): void {
	const tmp = `${path}.${process.pid}.tmp`;
	writeFileSynced(tmp, data, { mode: 0o644, flag: 'w' });
	renameSync(tmp, path);
	syncDirOf(path);
}

export function rootPublicKeyPath(dataDir: string): string {
	return join(publicDir(dataDir), 'root-public-key.txt');
}

export function trustListPath(dataDir: string): string {
	return join(publicDir(dataDir), 'trust-list.cose');
}

export function statusListPath(dataDir: string, region: string): string {
	return join(publicDir(dataDir), `status-${region}.cose`);
}

export function readRootPublicKey(dataDir: string): Uint8Array | null {
	const p = rootPublicKeyPath(dataDir);
	return existsSync(p) ? fromBase64Url(readFileSync(p, 'utf8').trim()) : null;
}

interface ListState {
	trustListVersion: number;
}

function statePath(dataDir: string): string {
	return join(publicDir(dataDir), 'state.json');
}

function readState(dataDir: string): ListState {
	const p = statePath(dataDir);
	return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as ListState) : { trustListVersion: 0 };
}

function writeState(dataDir: string, s: ListState): void {
	writeAtomic(statePath(dataDir), JSON.stringify(s, null, '\t') + '\n');
}

/** Signs a new trust list (version + 1) with every issuer key in the store. */
export async function publishTrustList(keys: KeyStore, dataDir: string, nowSec: number): Promise<{ version: number }> {
	mkdirSync(publicDir(dataDir), { recursive: true });
	const state = readState(dataDir);
	const root = keys.readRoot();
	const version = state.trustListVersion + 1;
	const bytes = await signTrustList(
		{ version, issuedAt: nowSec, maxAge: TRUST_LIST_MAX_AGE_SECONDS, keys: keys.issuers().map(publicIssuerKey) },
		signerFor(root)
	);
	writeAtomic(trustListPath(dataDir), bytes);
	writeAtomic(rootPublicKeyPath(dataDir), root.publicKey + '\n');
	writeState(dataDir, { ...state, trustListVersion: version });
	return { version };
}

/**
 * The status list as a file, for `tongxing verify` and offline hand-over. The database is the source of truth
 * (issuer/status.ts); this is a signed snapshot of it.
 */
export function writeStatusListFile(dataDir: string, region: string, bytes: Uint8Array): void {
	mkdirSync(publicDir(dataDir), { recursive: true });
	writeAtomic(statusListPath(dataDir, region), bytes);
}

/**
 * A regional issuer key that signs now, created (with an empty status list, seq 1) when the region has none.
 * Returns the new key, or null when one already signs. Production uses it alone (the root is offline).
 */
export async function ensureIssuerKey(
	keys: KeyStore,
	dataDir: string,
	opts: { region: string; validDays: number; nowSec: number }
): Promise<StoredIssuerKey | null> {
	if (keys.activeIssuer(opts.region, opts.nowSec)) return null;
	const issuer: StoredIssuerKey = {
		...newKey(),
		region: opts.region,
		notBefore: opts.nowSec,
		notAfter: opts.nowSec + opts.validDays * 86400,
		status: 'active'
	};
	keys.writeIssuer(issuer);
	// The empty list is seq 1, as the database serves it before any revocation (issuer/status.ts).
	const empty = await signStatusList(
		{ region: opts.region, seq: 1, since: 0, issuedAt: opts.nowSec, maxAge: STATUS_LIST_MAX_AGE_SECONDS, revoked: [] },
		signerFor(issuer)
	);
	writeStatusListFile(dataDir, opts.region, empty);
	return issuer;
}

/** First start (demo, single machine): a root key, one regional issuer key, trust list v1 and an empty status list. */
export async function initKeys(
	keys: KeyStore,
	dataDir: string,
	opts: { region: string; validDays: number; nowSec: number }
): Promise<{ root: StoredKey; issuer: StoredIssuerKey; version: number }> {
	const root = newKey();
	keys.writeRoot(root);
	const issuer = (await ensureIssuerKey(keys, dataDir, opts)) ?? keys.activeIssuer(opts.region, opts.nowSec)!;
	const { version } = await publishTrustList(keys, dataDir, opts.nowSec);
	return { root, issuer, version };
}
