/**
 * The federation vectors (docs/code-format.md §10): codes verified through a national trust bundle. Each one
 * that must be refused is refused because the chain root → region certificate → region key list → key breaks.
 */
import { toHex } from '../../src/lib/core/bytes.js';
import { codeText } from '../../src/lib/core/code-text.js';
import { issueCredential } from '../../src/lib/core/credential.js';
import { encodeLiveCode, timeStep } from '../../src/lib/core/live-proof.js';
import type { CodeClaims } from '../../src/lib/core/claims.js';
import type { VectorCase } from './cases.js';
import * as f from './fixture.js';
import * as g from './federation-fixture.js';

async function liveBy(signer: ReturnType<typeof f.key>, over: Partial<CodeClaims> = {}): Promise<string> {
	return codeText(await encodeLiveCode(await issueCredential(f.claims(over), signer), timeStep(f.NOW), f.device.sign));
}
const bj = (over: Partial<CodeClaims> = {}) => liveBy(g.issuerBj, { iss: g.BJ, ...over });
const unknown = { verdict: 'unverifiable' as const, reason: 'unknown-issuer' as const };

export const FEDERATION_CASES: VectorCase[] = [
	{
		name: 'federation-valid-home',
		description: 'national bundle: a Shenzhen code through root → 440300 certificate → 440300 key list',
		expected: { verdict: 'valid', reason: 'ok', colour: 'green' },
		build: async () => ({ qr: await liveBy(f.issuer), trustBundle: await g.bundle() })
	},
	{
		name: 'federation-valid-other-region',
		description: 'national bundle: a Beijing (110100) code verified offline by any scanner holding the bundle',
		expected: { verdict: 'valid', reason: 'ok', colour: 'red' },
		build: async () => ({ qr: await bj({ colour: 'red', reasons: ['positive-test'] }), trustBundle: await g.bundle() })
	},
	{
		name: 'federation-gateway-injected-key',
		description: 'the gateway signs a 440300 key list with its own (root-certified gateway) key to add a key: refused',
		expected: unknown,
		build: async () => ({
			qr: await liveBy(g.injected),
			trustBundle: await g.bundle({
				keyLists: [
					await g.keyListBj(),
					await g.keyListSz(),
					await g.keyListSz(
						{ version: 99, keys: [f.issuerEntry(g.injected, g.SZ, f.NOW_S - f.DAY, f.NOW_S + 300 * f.DAY, 'active')] },
						g.gateway
					)
				]
			})
		})
	},
	{
		name: 'federation-cross-region-key',
		description: "Beijing's authority lists a key for region 440300 in its own list: a region vouches only for its own keys",
		expected: unknown,
		build: async () => ({
			qr: await liveBy(g.injected),
			trustBundle: await g.bundle({
				keyLists: [
					await g.keyListSz(),
					await g.keyListBj({
						keys: [
							f.issuerEntry(g.issuerBj, g.BJ, f.NOW_S - 30 * f.DAY, f.NOW_S + 335 * f.DAY, 'active'),
							f.issuerEntry(g.injected, g.SZ, f.NOW_S - f.DAY, f.NOW_S + 300 * f.DAY, 'active')
						]
					})
				]
			})
		})
	},
	{
		name: 'federation-key-list-for-other-region',
		description: "Beijing's authority signs a whole key list for region 440300: refused",
		expected: unknown,
		build: async () => ({
			qr: await liveBy(g.injected),
			trustBundle: await g.bundle({
				keyLists: [
					await g.keyListBj(),
					await g.keyListSz(),
					await g.keyListSz(
						{ version: 99, keys: [f.issuerEntry(g.injected, g.SZ, f.NOW_S - f.DAY, f.NOW_S + 300 * f.DAY, 'active')] },
						g.authorityBj
					)
				]
			})
		})
	},
	{
		name: 'federation-expired-certificate',
		description: "Beijing's region certificate expired yesterday: none of its keys is trusted",
		expected: unknown,
		build: async () => ({
			qr: await bj(),
			trustBundle: await g.bundle({
				certs: [
					await g.regionCert(g.BJ, g.authorityBj, g.exchangeBj, { notBefore: f.NOW_S - 400 * f.DAY, notAfter: f.NOW_S - f.DAY }),
					await g.regionCert(g.SZ, g.authoritySz, g.exchangeSz)
				]
			})
		})
	},
	{
		name: 'federation-revoked-certificate',
		description: "the root revoked Beijing's authority key (compromised region): its keys are refused, Shenzhen's are not",
		expected: unknown,
		build: async () => ({ qr: await bj(), trustBundle: await g.bundle({ revocations: [await g.revocations([toHex(g.authorityBj.kid)])] }) })
	},
	{
		name: 'federation-certificate-wrong-root',
		description: "Beijing's certificate signed by a root other than the pinned one",
		expected: unknown,
		build: async () => {
			const { signCertificate } = await import('../../src/lib/core/federation/certificate.js');
			const { toBase64Url } = await import('../../src/lib/core/bytes.js');
			const forged = await signCertificate(
				{
					role: 'region',
					region: g.BJ,
					authority: toBase64Url(g.authorityBj.publicKey),
					exchange: toBase64Url(g.exchangeBj.publicKey),
					notBefore: f.NOW_S - f.DAY,
					notAfter: f.NOW_S + f.DAY,
					issuedAt: f.NOW_S - f.DAY
				},
				f.otherRoot
			);
			return { qr: await bj(), trustBundle: await g.bundle({ certs: [forged, await g.regionCert(g.SZ, g.authoritySz, g.exchangeSz)] }) };
		}
	},
	{
		name: 'federation-compromised-key',
		description: 'Beijing marks one of its issuer keys compromised in its key list: codes it signed are refused',
		expected: { verdict: 'invalid', reason: 'issuer-compromised' },
		build: async () => ({
			qr: await liveBy(g.leakedBj, { iss: g.BJ }),
			trustBundle: await g.bundle({
				keyLists: [
					await g.keyListSz(),
					await g.keyListBj({
						version: 6,
						keys: [
							f.issuerEntry(g.issuerBj, g.BJ, f.NOW_S - 30 * f.DAY, f.NOW_S + 335 * f.DAY, 'active'),
							f.issuerEntry(g.leakedBj, g.BJ, f.NOW_S - 60 * f.DAY, f.NOW_S + 300 * f.DAY, 'compromised')
						]
					})
				]
			})
		})
	},
	{
		name: 'federation-older-key-list-ignored',
		description: 'an older Beijing key list (v4, before the key was marked compromised) next to the newer v6: the newest wins',
		expected: { verdict: 'invalid', reason: 'issuer-compromised' },
		build: async () => ({
			qr: await liveBy(g.leakedBj, { iss: g.BJ }),
			trustBundle: await g.bundle({
				keyLists: [
					await g.keyListBj({
						version: 6,
						keys: [
							f.issuerEntry(g.issuerBj, g.BJ, f.NOW_S - 30 * f.DAY, f.NOW_S + 335 * f.DAY, 'active'),
							f.issuerEntry(g.leakedBj, g.BJ, f.NOW_S - 60 * f.DAY, f.NOW_S + 300 * f.DAY, 'compromised')
						]
					}),
					await g.keyListSz(),
					await g.keyListBj({ version: 4, keys: [f.issuerEntry(g.leakedBj, g.BJ, f.NOW_S - 60 * f.DAY, f.NOW_S + 300 * f.DAY, 'active')] })
				]
			})
		})
	},
	{
		name: 'federation-revoked-code',
		description: "a Beijing code in Beijing's status list, carried in the bundle",
		expected: { verdict: 'invalid', reason: 'revoked' },
		build: async () => {
			const c = f.claims({ iss: g.BJ });
			const qr = codeText(await encodeLiveCode(await issueCredential(c, g.issuerBj), timeStep(f.NOW), f.device.sign));
			return { qr, trustBundle: await g.bundle({ statusLists: [await g.statusBj([c.codeId]), await f.statusList()] }) };
		}
	},
	{
		name: 'federation-status-list-missing',
		description: 'the bundle carries no status list for Beijing',
		expected: { verdict: 'unverifiable', reason: 'status-list-missing' },
		build: async () => ({ qr: await bj(), trustBundle: await g.bundle({ statusLists: [await f.statusList()] }) })
	},
	{
		name: 'federation-status-list-by-other-region',
		description: "a status list for Beijing signed by Shenzhen's issuer key",
		expected: { verdict: 'unverifiable', reason: 'status-list-invalid' },
		build: async () => ({
			qr: await bj(),
			trustBundle: await g.bundle({ statusLists: [await g.statusBj([], f.issuer), await f.statusList()] })
		})
	},
	{
		name: 'federation-key-list-stale',
		description: "Beijing's key list is 8 days old (maxAge 7 days): stale for Beijing codes only",
		expected: { verdict: 'unverifiable', reason: 'trust-list-stale' },
		build: async () => ({
			qr: await bj(),
			trustBundle: await g.bundle({ keyLists: [await g.keyListSz(), await g.keyListBj({ issuedAt: f.NOW_S - 8 * f.DAY })] })
		})
	},
	{
		name: 'federation-stale-other-region-harmless',
		description: "Beijing's key list is stale, a Shenzhen code is still valid",
		expected: { verdict: 'valid', reason: 'ok', colour: 'green' },
		build: async () => ({
			qr: await liveBy(f.issuer),
			trustBundle: await g.bundle({ keyLists: [await g.keyListSz(), await g.keyListBj({ issuedAt: f.NOW_S - 8 * f.DAY })] })
		})
	}
];
