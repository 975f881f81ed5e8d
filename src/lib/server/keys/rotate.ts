/**
 * Key rotation and compromise (SECURITY.md).
 *
 * Rotation publishes the next key in the trust list *before* it signs anything: the new key's window starts
 * `delayHours` from now (default 24 h, so scanners that sync daily have it first) and the old key's window
 * ends at that moment. Until then the old key keeps signing; codes pre-issued for later are already signed
 * with the new key (issueCodes picks the key whose window holds each code's iat). Keys whose window has
 * ended are marked retired at the next publication; their codes keep verifying until they expire.
 *
 * Where the root private key is here (demo) the new trust list is signed and published at once. In production
 * the root is offline (offline-root.ts): the key files change here, `version` is null, and the operator takes a
 * `tongxing keys request` to the offline root and installs the signed list — within the rotation delay, so
 * scanners have the next key before it signs; for a compromised key, at once.
 */
import type { KeyStore, StoredIssuerKey } from './keystore.js';
import { newKey } from './keystore.js';
import { publishTrustList } from './published.js';

/** Signs and publishes the trust list when the root key is here (demo); null when it is offline (production). */
async function publishIfRoot(keys: KeyStore, dataDir: string, nowSec: number): Promise<number | null> {
	return keys.hasRoot() ? (await publishTrustList(keys, dataDir, nowSec)).version : null;
}

export const DEFAULT_ROTATION_DELAY_HOURS = 24;
export const DEFAULT_KEY_VALID_DAYS = 365;

/** Marks active keys whose window has ended as retired. Returns the kids it retired. */
export function retireEnded(keys: KeyStore, nowSec: number): string[] {
	const ended = keys.issuers().filter((k) => k.status === 'active' && k.notAfter <= nowSec);
	for (const k of ended) keys.writeIssuer({ ...k, status: 'retired' });
	return ended.map((k) => k.kid);
}

export async function rotateKey(
	keys: KeyStore,
	dataDir: string,
	opts: { region: string; nowSec: number; delayHours?: number; validDays?: number }
): Promise<{ next: StoredIssuerKey; previous: string[]; version: number | null }> {
	const start = opts.nowSec + Math.round((opts.delayHours ?? DEFAULT_ROTATION_DELAY_HOURS) * 3600);
	const current = keys.issuers().filter((k) => k.region === opts.region && k.status === 'active' && k.notAfter > start);
	const next: StoredIssuerKey = {
		...newKey(),
		region: opts.region,
		notBefore: start,
		notAfter: start + (opts.validDays ?? DEFAULT_KEY_VALID_DAYS) * 86400,
		status: 'active'
	};
	keys.writeIssuer(next);
	for (const k of current) keys.writeIssuer({ ...k, notAfter: Math.max(start, k.notBefore + 1) });
	retireEnded(keys, opts.nowSec);
	const version = await publishIfRoot(keys, dataDir, opts.nowSec);
	return { next, previous: current.map((k) => k.kid), version };
}

/**
 * Marks a key compromised and publishes the trust list at once (every code it signed stops verifying
 * everywhere the new list reaches). If it was the region's signing key, a replacement starts now.
 */
export async function compromiseKey(
	keys: KeyStore,
	dataDir: string,
	opts: { kid: string; nowSec: number }
): Promise<{ key: StoredIssuerKey; replacement: StoredIssuerKey | null; version: number | null }> {
	const key = keys.issuers().find((k) => k.kid === opts.kid);
	if (!key) throw new RangeError(`no issuer key ${opts.kid}`);
	keys.writeIssuer({ ...key, status: 'compromised' });
	let replacement: StoredIssuerKey | null = null;
	if (!keys.activeIssuer(key.region, opts.nowSec)) {
		replacement = {
			...newKey(),
			region: key.region,
			notBefore: opts.nowSec,
			notAfter: opts.nowSec + DEFAULT_KEY_VALID_DAYS * 86400,
			status: 'active'
		};
		keys.writeIssuer(replacement);
	}
	const version = await publishIfRoot(keys, dataDir, opts.nowSec);
	return { key: { ...key, status: 'compromised' }, replacement, version };
}
