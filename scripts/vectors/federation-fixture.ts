/**
 * Fixed keys and documents for the federation vectors (docs/code-format.md §10): a national root (the same
 * root as the single-region vectors), two regions — 440300 (Shenzhen) and 110100 (Beijing) — each with an
 * authority, an exchange and an issuer key, and a gateway.
 */
import { toBase64Url } from '../../src/lib/core/bytes.js';
import { signCertificate, signCertRevocations, type RegionCertificate } from '../../src/lib/core/federation/certificate.js';
import { signRegionKeyList, type RegionKeyList } from '../../src/lib/core/federation/region-key-list.js';
import { encodeTrustBundle, type TrustBundle } from '../../src/lib/core/federation/trust-bundle.js';
import { signStatusList } from '../../src/lib/core/status-list.js';
import * as f from './fixture.js';

export const SZ = '440300';
export const BJ = '110100';
export const authoritySz = f.key('authority-440300');
export const exchangeSz = f.key('exchange-440300');
export const authorityBj = f.key('authority-110100');
export const exchangeBj = f.key('exchange-110100');
export const issuerBj = f.key('issuer-110100-2026');
export const leakedBj = f.key('issuer-110100-leaked');
export const gateway = f.key('national-gateway');
/** a key nobody certified: what a compromised gateway would try to slip in */
export const injected = f.key('gateway-injected-issuer');

const YEAR = 365 * f.DAY;

export function regionCert(
	region: string,
	authority: ReturnType<typeof f.key>,
	exchange: ReturnType<typeof f.key>,
	over: Partial<RegionCertificate> = {}
) {
	return signCertificate(
		{
			role: 'region',
			region,
			authority: toBase64Url(authority.publicKey),
			exchange: toBase64Url(exchange.publicKey),
			notBefore: f.NOW_S - 60 * f.DAY,
			notAfter: f.NOW_S + YEAR,
			issuedAt: f.NOW_S - 60 * f.DAY,
			...over
		},
		f.root
	);
}

export function gatewayCert() {
	return signCertificate(
		{
			role: 'gateway',
			name: 'national-gateway',
			key: toBase64Url(gateway.publicKey),
			notBefore: f.NOW_S - 60 * f.DAY,
			notAfter: f.NOW_S + YEAR,
			issuedAt: f.NOW_S - 60 * f.DAY
		},
		f.root
	);
}

export function keyListSz(over: Partial<RegionKeyList> = {}, signer = authoritySz) {
	return signRegionKeyList(
		{
			region: SZ,
			version: 3,
			issuedAt: f.NOW_S - 2 * 3600,
			maxAge: 7 * f.DAY,
			keys: [
				f.issuerEntry(f.issuer, SZ, f.NOW_S - 30 * f.DAY, f.NOW_S + 335 * f.DAY, 'active'),
				f.issuerEntry(f.compromised, SZ, f.NOW_S - 60 * f.DAY, f.NOW_S + 300 * f.DAY, 'compromised')
			],
			...over
		},
		signer
	);
}

export function keyListBj(over: Partial<RegionKeyList> = {}, signer = authorityBj) {
	return signRegionKeyList(
		{
			region: BJ,
			version: 5,
			issuedAt: f.NOW_S - 3 * 3600,
			maxAge: 7 * f.DAY,
			keys: [f.issuerEntry(issuerBj, BJ, f.NOW_S - 30 * f.DAY, f.NOW_S + 335 * f.DAY, 'active')],
			...over
		},
		signer
	);
}

export function statusBj(revoked: string[] = [], signer = issuerBj) {
	return signStatusList({ region: BJ, seq: 9, since: 0, issuedAt: f.NOW_S - 900, maxAge: f.DAY, revoked }, signer);
}

export function revocations(revokedKids: string[]) {
	return signCertRevocations({ version: 1, issuedAt: f.NOW_S - 3600, revoked: revokedKids }, f.root);
}

/** The bundle a correct gateway serves; `over` replaces whole parts (documents in any order). */
export async function bundle(over: Partial<TrustBundle> = {}): Promise<Uint8Array> {
	return encodeTrustBundle({
		issuedAt: f.NOW_S - 600,
		// deliberately not sorted by region: order carries no meaning
		certs: [await regionCert(BJ, authorityBj, exchangeBj), await gatewayCert(), await regionCert(SZ, authoritySz, exchangeSz)],
		revocations: [],
		keyLists: [await keyListBj(), await keyListSz()],
		statusLists: [await statusBj(), await f.statusList()],
		...over
	});
}
