/**
 * File keystore in DATA_DIR/keys (mode 0600): the national root key (which signs trust lists) and the
 * regional issuer keys (which sign codes and status lists). In production the root key lives offline
 * and only the signed trust list reaches the issuer; the demo keeps both on one machine.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fromBase64Url, toBase64Url, toHex } from '../../core/bytes.js';
import { kidOf } from '../../core/kid.js';
import type { IssuerKey, KeyStatus } from '../../core/trust-list.js';
import type { SignFn } from '../../core/ed25519/ed25519.js';
import { nodeKeyPair } from '../crypto/node-ed25519.js';

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

export function signerFor(k: StoredKey): Signer {
	const pair = nodeKeyPair(fromBase64Url(k.seed)!);
	return { kid: kidOf(pair.publicKey), publicKey: pair.publicKey, sign: pair.sign };
}

export function newKey(): StoredKey {
	const seed = randomBytes(32);
	const { publicKey } = nodeKeyPair(seed);
	return { kid: toHex(kidOf(publicKey)), publicKey: toBase64Url(publicKey), seed: toBase64Url(seed) };
}

export function publicIssuerKey(k: StoredIssuerKey): IssuerKey {
	return { kid: k.kid, region: k.region, publicKey: k.publicKey, notBefore: k.notBefore, notAfter: k.notAfter, status: k.status };
}

export class KeyStore {
	readonly dir: string;
	constructor(dataDir: string) {
		this.dir = join(dataDir, 'keys');
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

	issuers(): StoredIssuerKey[] {
		if (!existsSync(this.dir)) return [];
		return readdirSync(this.dir)
			.filter((f) => /^issuer-[0-9a-f]{16}\.json$/.test(f))
			.map((f) => JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as StoredIssuerKey)
			.sort((a, b) => a.notBefore - b.notBefore || a.kid.localeCompare(b.kid));
	}

	writeIssuer(k: StoredIssuerKey): void {
		this.write(`issuer-${k.kid}.json`, k);
	}

	/** The key that signs new codes for a region: active, and its window contains `nowSec`. */
	activeIssuer(region: string, nowSec: number): StoredIssuerKey | undefined {
		return this.issuers().find((k) => k.region === region && k.status === 'active' && k.notBefore <= nowSec && nowSec < k.notAfter);
	}

	private write(name: string, value: unknown): void {
		mkdirSync(this.dir, { recursive: true, mode: 0o700 });
		writeFileSync(join(this.dir, name), JSON.stringify(value, null, '\t') + '\n', { mode: 0o600 });
	}
}
