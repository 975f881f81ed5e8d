/**
 * Fixed keys, times and helpers for the test vectors. Everything is derived from fixed seeds, and Ed25519
 * is deterministic, so the generator writes the same bytes on every run (checked by vectors.test.ts).
 */
import { toBase64Url, toHex } from '../../src/lib/core/bytes.js';
import type { CodeClaims } from '../../src/lib/core/claims.js';
import { kidOf } from '../../src/lib/core/kid.js';
import { signStatusList } from '../../src/lib/core/status-list.js';
import { signTrustList, type IssuerKey, type TrustListContent } from '../../src/lib/core/trust-list.js';
import { tweetnaclKeyPair } from '../../src/lib/core/ed25519/tweetnacl.js';

export const seed = (label: string) => {
	const out = new Uint8Array(32);
	const bytes = new TextEncoder().encode(label);
	for (let i = 0; i < 32; i++) out[i] = (bytes[i % bytes.length]! * 31 + i * 7) & 255;
	return out;
};

export function key(label: string) {
	const pair = tweetnaclKeyPair(seed(label));
	return { ...pair, kid: kidOf(pair.publicKey) };
}

export const NOW = Date.UTC(2026, 10, 29, 8, 0, 0); // 2026-11-29T08:00:00Z
export const NOW_S = NOW / 1000;
export const DAY = 86400;

export const root = key('root');
export const otherRoot = key('other-root');
export const issuer = key('issuer-440300-2026');
export const retired = key('issuer-440300-2025');
export const compromised = key('issuer-440300-leaked');
export const unknownIssuer = key('issuer-unknown');
export const beijing = key('issuer-110000-2026');
export const device = key('resident-device');
export const otherDevice = key('another-device');

export function issuerEntry(
	k: ReturnType<typeof key>,
	region: string,
	notBefore: number,
	notAfter: number,
	status: IssuerKey['status']
): IssuerKey {
	return { kid: toHex(k.kid), region, publicKey: toBase64Url(k.publicKey), notBefore, notAfter, status };
}

export const TRUST: TrustListContent = {
	version: 7,
	issuedAt: NOW_S - 2 * 3600,
	maxAge: 7 * DAY,
	keys: [
		issuerEntry(retired, '440300', NOW_S - 400 * DAY, NOW_S - 1 * DAY, 'retired'),
		issuerEntry(issuer, '440300', NOW_S - 30 * DAY, NOW_S + 335 * DAY, 'active'),
		issuerEntry(compromised, '440300', NOW_S - 60 * DAY, NOW_S + 300 * DAY, 'compromised'),
		issuerEntry(beijing, '110000', NOW_S - 30 * DAY, NOW_S + 335 * DAY, 'active')
	]
};

export function trustList(content: Partial<TrustListContent> = {}, signer = root) {
	return signTrustList({ ...TRUST, ...content }, signer);
}

export const REVOKED_ID = toBase64Url(new Uint8Array(12).fill(0xee));

export function statusList(over: { issuedAt?: number; revoked?: string[]; region?: string } = {}, signer = issuer) {
	return signStatusList(
		{
			region: over.region ?? '440300',
			seq: 42,
			since: 0,
			issuedAt: over.issuedAt ?? NOW_S - 600,
			maxAge: DAY,
			revoked: over.revoked ?? [REVOKED_ID]
		},
		signer
	);
}

let counter = 0;
/** Deterministic code ids: 12 bytes (96 bits, the minimum and what the issuer uses) from a counter. */
export function codeId(): string {
	counter++;
	const out = new Uint8Array(12);
	for (let i = 0; i < 12; i++) out[i] = (counter * 37 + i * 101) & 255;
	return toBase64Url(out);
}

export function claims(over: Partial<CodeClaims> = {}): CodeClaims {
	return {
		iss: '440300',
		iat: NOW_S - 3600,
		exp: NOW_S + 23 * 3600,
		codeId: codeId(),
		colour: 'green',
		maskedName: '张*丰',
		idSuffix: '123X',
		kind: 'phone',
		holderKey: toBase64Url(device.publicKey),
		reasons: [],
		lastNegativeTestAt: NOW_S - 20 * 3600,
		...over
	};
}
