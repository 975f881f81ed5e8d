/**
 * Where a federated region keeps what the onboarding ceremony gave it (docs/federation.md): its authority key
 * pair (signs its issuer-key lists; private, 0600) and its root-signed certificate, in DATA_DIR/keys. A region
 * with a certificate is federated: its root is the national one (pinned in DATA_DIR/public/root-public-key.txt),
 * never one of its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredKey } from './keystore.js';

export function authorityKeyPath(dataDir: string): string {
	return join(dataDir, 'keys', 'authority.json');
}

export function regionCertificatePath(dataDir: string): string {
	return join(dataDir, 'keys', 'region-certificate.cose');
}

export function isFederatedRegion(dataDir: string): boolean {
	return existsSync(regionCertificatePath(dataDir));
}

export function readAuthorityKey(dataDir: string): StoredKey | null {
	const p = authorityKeyPath(dataDir);
	return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as StoredKey) : null;
}

export function readRegionCertificate(dataDir: string): Uint8Array | null {
	const p = regionCertificatePath(dataDir);
	return existsSync(p) ? new Uint8Array(readFileSync(p)) : null;
}
