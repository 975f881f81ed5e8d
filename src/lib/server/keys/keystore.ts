/**
 * File keystore in DATA_DIR/keys (mode 0600): the national root key (which signs trust lists) and the
 * regional issuer keys (which sign codes and status lists). In production the root key lives offline
 * and only the signed trust list reaches the issuer; the demo keeps both on one machine.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fromBase64Url, toBase64Url, toHex } from '../../core/bytes.js';
import { kidOf } from '../../core/kid.js';
import type { IssuerKey, KeyStatus } from '../../core/trust-list.js';
import type { SignFn } from '../../core/ed25519/ed25519.js';
import { nodeKeyPair } from '../crypto/node-ed25519.js';
import { syncDirOf, writeFileSynced } from '../durable-file.js';

export interface StoredKey {
	kid: string;
	publicKey: string;
	seed: string;
}

export interface StoredIssuerKey extends StoredKey {
	region: string;
	notBefore: number;
	notAfter: number;
	status: KeyStatus;
}

export interface Signer {
	kid: Uint8Array;
	publicKey: Uint8Array;
	sign: SignFn;
}

const signers = new WeakMap<StoredKey, Signer>();

/** The signer for a stored key; kept per key object (the cached, frozen ones of KeyStore.issuers()). */
export function signerFor(k: StoredKey): Signer {
	let signer = signers.get(k);
	if (!signer) {
		const pair = nodeKeyPair(fromBase64Url(k.seed)!);
		signer = { kid: kidOf(pair.publicKey), publicKey: pair.publicKey, sign: pair.sign };
		signers.set(k, signer);
	}
	return signer;
}

export function newKey(): StoredKey {
	const seed = randomBytes(32);
	const { publicKey } = nodeKeyPair(seed);
	return { kid: toHex(kidOf(publicKey)), publicKey: toBase64Url(publicKey), seed: toBase64Url(seed) };
}

export function publicIssuerKey(k: StoredIssuerKey): IssuerKey {
	return { kid: k.kid, region: k.region, publicKey: k.publicKey, notBefore: k.notBefore, notAfter: k.notAfter, status: k.status };
}

/** Longest a cached issuer list is trusted without re-reading the files (see KeyStore). */
export const KEY_CACHE_MAX_AGE_MS = 1000;

/**
 * The issuer keys are read from their files once and cached (re-reading them cost a directory listing plus a
 * JSON parse per key on every status-list request and every issuance). The cache is dropped when:
 * - this instance writes a key;
 * - the keys directory changes — `tongxing keys rotate` / `compromise` run in ANOTHER process write through
 *   writeIssuer too, which replaces the file by rename, and a rename changes the directory's mtime/ctime:
 *   one stat per call, seen at once;
 * - KEY_CACHE_MAX_AGE_MS passed: a backstop for what the stat cannot see (two changes within the file system's
 *   timestamp granularity, or a key file edited in place by hand).
 */
export class KeyStore {
	readonly dir: string;
	#cache: { issuers: readonly StoredIssuerKey[]; dirStamp: string; loadedAt: number } | undefined;
	readonly #now: () => number;
	constructor(dataDir: string, options: { now?: () => number } = {}) {
		this.dir = join(dataDir, 'keys');
		this.#now = options.now ?? (() => performance.now());
	}

	#dirStamp(): string {
		try {
			const st = statSync(this.dir, { bigint: true });
			return `${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
		} catch {
			return 'missing';
		}
	}

	hasRoot(): boolean {
		return existsSync(join(this.dir, 'root.json'));
	}

	readRoot(): StoredKey {
		return JSON.parse(readFileSync(join(this.dir, 'root.json'), 'utf8')) as StoredKey;
	}

	writeRoot(k: StoredKey): void {
		this.write('root.json', k);
	}

	/** The issuer keys, oldest window first (cached: see the class comment). The objects are frozen. */
	issuers(): StoredIssuerKey[] {
		const now = this.#now();
		const stamp = this.#dirStamp();
		const c = this.#cache;
		if (c && c.dirStamp === stamp && now - c.loadedAt < KEY_CACHE_MAX_AGE_MS) return [...c.issuers];
		const issuers = stamp === 'missing' ? [] : this.#readIssuers();
		this.#cache = { issuers, dirStamp: stamp, loadedAt: now };
		return [...issuers];
	}

	#readIssuers(): StoredIssuerKey[] {
		return readdirSync(this.dir)
			.filter((f) => /^issuer-[0-9a-f]{16}\.json$/.test(f))
			.map((f) => Object.freeze(JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as StoredIssuerKey))
			.sort((a, b) => a.notBefore - b.notBefore || a.kid.localeCompare(b.kid));
	}

	writeIssuer(k: StoredIssuerKey): void {
		this.write(`issuer-${k.kid}.json`, k);
		this.#cache = undefined;
	}

	/** The key that signs new codes for a region: active, and its window contains `nowSec`. */
	activeIssuer(region: string, nowSec: number): StoredIssuerKey | undefined {
		return this.issuers().find((k) => k.region === region && k.status === 'active' && k.notBefore <= nowSec && nowSec < k.notAfter);
	}

	/** Write to a temporary file, then rename: readers never see half a key, and the directory's mtime moves. */
	private write(name: string, value: unknown): void {
		mkdirSync(this.dir, { recursive: true, mode: 0o700 });
		const tmp = join(this.dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
		writeFileSynced(tmp, JSON.stringify(value, null, '\t') + '\n', { mode: 0o600, flag: 'w' });
		renameSync(tmp, join(this.dir, name));
		syncDirOf(join(this.dir, name));
	}
}
