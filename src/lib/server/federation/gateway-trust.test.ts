/**
 * Contract of the gateway's trust and status protocol at the service level: every bad upload in issue 14 that
 * concerns trust and status is refused with its own code, and what is accepted comes out of the bundle with
 * per-region deltas. Documents are the federation vectors' (scripts/vectors/federation-fixture.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url, toHex } from '../../core/bytes.js';
import { signStatusList } from '../../core/status-list.js';
import { decodeTrustBundle, openTrustBundle, type TrustBundle } from '../../core/federation/trust-bundle.js';
import { tweetnaclBackend } from '../../core/ed25519/tweetnacl.js';
import { openDatabase, type OpenDatabase } from '../store/open.js';
import { dropPostgresSchema } from '../store/drop-pg-schema.js';
import type { DomainError } from '../domain-error.js';
import * as f from '../../../../scripts/vectors/fixture.js';
import * as g from '../../../../scripts/vectors/federation-fixture.js';
import {
	acceptKeyList,
	acceptStatusDocument,
	installCertificate,
	installRevocations,
	nationalBundle,
	parseVersions,
	regionExchangeKeys,
	regionHead,
	type FederationContext
} from './gateway-trust.js';
import { GATEWAY_UPLOAD_LIMITS, GATEWAY_UPLOAD_WINDOW_MS } from './gateway-upload-limit.js';

let dir: string;
let opened: OpenDatabase;
let ctx: FederationContext;

async function code(p: Promise<unknown>): Promise<string> {
	try {
		await p;
		return 'accepted';
	} catch (e) {
		return (e as DomainError).code ?? String(e);
	}
}

const statusSz = (
	seq: number,
	since: number,
	revoked: string[] = [],
	over: { issuedAt?: number; region?: string } = {},
	signer = f.issuer
) => signStatusList({ region: over.region ?? g.SZ, seq, since, issuedAt: over.issuedAt ?? f.NOW_S - 60, maxAge: f.DAY, revoked }, signer);
const id = (n: number) => toBase64Url(new Uint8Array(12).fill(n));

/** Both engines when TEST_DATABASE_URL is set (a fresh PostgreSQL schema per test), else SQLite only. */
const PG_URL = process.env.TEST_DATABASE_URL || undefined;
let pgSchema: string | undefined;
let schemas = 0;

for (const engine of ['sqlite', ...(PG_URL ? ['postgres'] : [])] as const) {
	describe(engine, () => {
		beforeEach(async () => {
			dir = mkdtempSync(join(tmpdir(), 'tongxing-gateway-'));
			pgSchema = engine === 'postgres' ? `tx_gateway_${process.pid}_${schemas++}` : undefined;
			opened = await openDatabase(pgSchema ? { dataDir: dir, databaseUrl: PG_URL!, pgSchema } : { dataDir: dir, databaseUrl: '' });
			ctx = { db: opened.db, rootPublicKey: f.root.publicKey, backend: tweetnaclBackend, now: f.NOW };
			await installCertificate(ctx, await g.regionCert(g.SZ, g.authoritySz, g.exchangeSz));
			await installCertificate(ctx, await g.regionCert(g.BJ, g.authorityBj, g.exchangeBj));
			await installCertificate(ctx, await g.gatewayCert());
		}, 30_000);

		afterEach(async () => {
			await opened.close();
			if (pgSchema) await dropPostgresSchema(PG_URL!, pgSchema);
			rmSync(dir, { recursive: true, force: true });
		});

		describe('key list uploads', { timeout: 60_000 }, () => {
			it('accepts each region its own list, and the bundle vouches for both', async () => {
				expect(await acceptKeyList(ctx, g.SZ, await g.keyListSz())).toEqual({ region: g.SZ, version: 3 });
				expect(await acceptKeyList(ctx, g.BJ, await g.keyListBj())).toEqual({ region: g.BJ, version: 5 });
				const b = decodeTrustBundle(await nationalBundle(ctx, new Map(), new Map())) as TrustBundle;
				const o = await openTrustBundle(b, { rootPublicKey: f.root.publicKey, backend: tweetnaclBackend, nowSec: f.NOW_S });
				expect([...o.regions.keys()].sort()).toEqual([g.BJ, g.SZ]);
				expect(o.problems).toEqual([]);
			});

			it('a region over its upload budget gets gateway/rate-limited with a retry time; the other region and a forger do not spend it', async () => {
				ctx.now = f.NOW - (f.NOW % GATEWAY_UPLOAD_WINDOW_MS) + 20_000;
				const list = await g.keyListSz();
				// a region's own copy (publish, mirror) counts nothing: a mirror catching up takes many documents at once
				for (let i = 0; i < GATEWAY_UPLOAD_LIMITS['key-list'] + 3; i++) await code(acceptKeyList(ctx, g.SZ, list));
				expect(await code(acceptKeyList(ctx, g.SZ, list))).toBe('gateway/replayed');
				// the gateway's upload routes
				ctx = { ...ctx, limitUploads: true };
				// a forger's uploads under 440300's code are refused before they are counted
				for (let i = 0; i < GATEWAY_UPLOAD_LIMITS['key-list'] + 3; i++)
					expect(await code(acceptKeyList(ctx, g.SZ, await g.keyListSz({}, g.injected)))).toBe('gateway/forged');
				// the repeats are answered "replayed" — and counted
				for (let i = 0; i < GATEWAY_UPLOAD_LIMITS['key-list']; i++)
					expect(await code(acceptKeyList(ctx, g.SZ, list))).toBe('gateway/replayed');
				const over = await acceptKeyList(ctx, g.SZ, list).catch((e: DomainError) => e);
				expect([(over as DomainError).code, (over as DomainError).retryAfterSeconds]).toEqual(['gateway/rate-limited', 40]);
				expect(await code(acceptKeyList(ctx, g.BJ, await g.keyListBj()))).toBe('accepted');
				// status documents have their own budget
				expect(await code(acceptStatusDocument(ctx, g.SZ, await statusSz(1, 0)))).toBe('accepted');
				ctx.now += 40_000;
				expect(await code(acceptKeyList(ctx, g.SZ, list))).toBe('gateway/replayed');
			});

			it('refuses forged, wrong-region, replayed and unreadable uploads with their own codes', async () => {
				const injectedEntry = f.issuerEntry(g.injected, g.SZ, f.NOW_S - f.DAY, f.NOW_S + f.DAY, 'active');
				const cases: [string, () => Promise<unknown>][] = [
					[
						'gateway-added key (signed by the gateway key)',
						async () => acceptKeyList(ctx, g.SZ, await g.keyListSz({ keys: [injectedEntry] }, g.gateway))
					],
					['signed by an unknown key', async () => acceptKeyList(ctx, g.SZ, await g.keyListSz({}, g.injected))],
					["a region's key for another region", async () => acceptKeyList(ctx, g.SZ, await g.keyListSz({}, g.authorityBj))],
					[
						'own list naming a key of another region',
						async () =>
							acceptKeyList(
								ctx,
								g.BJ,
								await g.keyListBj({ keys: [f.issuerEntry(g.issuerBj, g.BJ, 0, f.NOW_S + f.DAY, 'active'), injectedEntry] })
							)
					],
					['uploaded under another region', async () => acceptKeyList(ctx, g.BJ, await g.keyListSz())],
					['region without certificate', async () => acceptKeyList(ctx, '310100', await g.keyListSz({ region: '310100' }))],
					['garbage', async () => acceptKeyList(ctx, g.SZ, new Uint8Array([1, 2, 3]))],
					['bad region parameter', async () => acceptKeyList(ctx, 'abc', await g.keyListSz())],
					['issued 11 minutes in the future', async () => acceptKeyList(ctx, g.SZ, await g.keyListSz({ issuedAt: f.NOW_S + 660 }))]
				];
				const got = [];
				for (const [name, p] of cases) got.push([name, await code(p())]);
				expect(got).toEqual([
					['gateway-added key (signed by the gateway key)', 'gateway/forged'],
					['signed by an unknown key', 'gateway/forged'],
					["a region's key for another region", 'gateway/wrong-region'],
					['own list naming a key of another region', 'gateway/wrong-region'],
					['uploaded under another region', 'gateway/wrong-region'],
					['region without certificate', 'gateway/unknown-region'],
					['garbage', 'gateway/bad-document'],
					['bad region parameter', 'gateway/region'],
					['issued 11 minutes in the future', 'gateway/bad-document']
				]);
			});

			it('tolerates ±10 min of clock skew, refuses replays and older versions', async () => {
				expect(await code(acceptKeyList(ctx, g.SZ, await g.keyListSz({ issuedAt: f.NOW_S + 540 })))).toBe('accepted');
				expect(await code(acceptKeyList(ctx, g.SZ, await g.keyListSz({ issuedAt: f.NOW_S + 540 })))).toBe('gateway/replayed');
				expect(await code(acceptKeyList(ctx, g.SZ, await g.keyListSz({ version: 2 })))).toBe('gateway/replayed');
				expect(await code(acceptKeyList(ctx, g.SZ, await g.keyListSz({ version: 4 })))).toBe('accepted');
			});

			it('a region whose authority the root revoked can upload nothing; the other region is unaffected', async () => {
				await installRevocations(ctx, await g.revocations([toHex(g.authorityBj.kid)]));
				expect(await code(acceptKeyList(ctx, g.BJ, await g.keyListBj()))).toBe('gateway/unknown-region');
				expect(await code(acceptKeyList(ctx, g.SZ, await g.keyListSz()))).toBe('accepted');
				const keys = regionExchangeKeys(ctx);
				expect(await keys.exchangeKey(g.BJ, f.NOW)).toBeNull();
				expect(toHex((await keys.exchangeKey(g.SZ, f.NOW))!)).toBe(toHex(g.exchangeSz.publicKey));
				expect(await keys.exchangeKey(g.SZ, f.NOW + 2 * 365 * f.DAY * 1000)).toBeNull();
				expect(await keys.exchangeKey('310100', f.NOW)).toBeNull();
			});

			it('refuses a certificate from another root', async () => {
				const { signCertificate } = await import('../../core/federation/certificate.js');
				const forged = await signCertificate(
					{
						role: 'region',
						region: '310100',
						authority: toBase64Url(g.injected.publicKey),
						exchange: toBase64Url(g.exchangeBj.publicKey),
						notBefore: 0,
						notAfter: f.NOW_S + f.DAY,
						issuedAt: 0
					},
					f.otherRoot
				);
				expect(await code(installCertificate(ctx, forged))).toBe('gateway/forged');
			});
		});

		describe('status list uploads', { timeout: 60_000 }, () => {
			beforeEach(async () => {
				await acceptKeyList(ctx, g.SZ, await g.keyListSz());
				await acceptKeyList(ctx, g.BJ, await g.keyListBj());
			}, 30_000);

			it('takes a full list then deltas that continue it; refuses replays, gaps, forgeries and other regions', async () => {
				expect(await code(acceptStatusDocument(ctx, g.SZ, await statusSz(10, 0, [id(1)])))).toBe('accepted');
				expect(await code(acceptStatusDocument(ctx, g.SZ, await statusSz(11, 10, [id(2)])))).toBe('accepted');
				const refused: [string, () => Promise<unknown>][] = [
					['replayed full list', async () => acceptStatusDocument(ctx, g.SZ, await statusSz(10, 0, [id(1)]))],
					['replayed delta', async () => acceptStatusDocument(ctx, g.SZ, await statusSz(11, 10, [id(2)]))],
					['reordered: an older delta after a newer one', async () => acceptStatusDocument(ctx, g.SZ, await statusSz(10, 9, []))],
					['delta that skips seqs', async () => acceptStatusDocument(ctx, g.SZ, await statusSz(14, 12, [id(4)]))],
					['signed by a key nobody vouches for', async () => acceptStatusDocument(ctx, g.SZ, await statusSz(12, 11, [], {}, g.injected))],
					['signed by a compromised key', async () => acceptStatusDocument(ctx, g.SZ, await statusSz(12, 11, [], {}, f.compromised))],
					[
						"Beijing's list signed by a Shenzhen key",
						async () => acceptStatusDocument(ctx, g.BJ, await statusSz(3, 0, [], { region: g.BJ }))
					],
					["Shenzhen's list uploaded as Beijing's", async () => acceptStatusDocument(ctx, g.BJ, await statusSz(12, 11))],
					['garbage', async () => acceptStatusDocument(ctx, g.SZ, new Uint8Array([0xd2, 0x84]))],
					['11 minutes in the future', async () => acceptStatusDocument(ctx, g.SZ, await statusSz(12, 11, [], { issuedAt: f.NOW_S + 660 }))]
				];
				const got = [];
				for (const [name, p] of refused) got.push([name, await code(p())]);
				expect(got).toEqual([
					['replayed full list', 'gateway/replayed'],
					['replayed delta', 'gateway/replayed'],
					['reordered: an older delta after a newer one', 'gateway/replayed'],
					['delta that skips seqs', 'gateway/gap'],
					['signed by a key nobody vouches for', 'gateway/forged'],
					['signed by a compromised key', 'gateway/forged'],
					["Beijing's list signed by a Shenzhen key", 'gateway/wrong-region'],
					["Shenzhen's list uploaded as Beijing's", 'gateway/wrong-region'],
					['garbage', 'gateway/bad-document'],
					['11 minutes in the future', 'gateway/bad-document']
				]);
				expect(await regionHead(ctx, g.SZ)).toEqual({ region: g.SZ, keyListVersion: 3, statusSeq: 11, fullSeq: 10 });
			});

			it('serves per-region deltas since the versions the caller holds', async () => {
				await acceptStatusDocument(ctx, g.SZ, await statusSz(10, 0, [id(1), id(2), id(3), id(4), id(5), id(6)]));
				await acceptStatusDocument(ctx, g.SZ, await statusSz(11, 10, [id(7)]));
				await acceptStatusDocument(ctx, g.BJ, await g.statusBj());
				const bundle = async (have: string, keys: string) =>
					decodeTrustBundle(await nationalBundle(ctx, parseVersions(have, 'have'), parseVersions(keys, 'keys'))) as TrustBundle;
				const fresh = await bundle('', '');
				expect([fresh.certs.length, fresh.keyLists.length, fresh.statusLists.length]).toEqual([3, 2, 3]); // full 10 + delta 11, BJ full 9
				const upToDate = await bundle('440300:11,110100:9', '440300:3,110100:5');
				expect([upToDate.certs.length, upToDate.keyLists.length, upToDate.statusLists.length]).toEqual([0, 0, 0]);
				const behind = await bundle('440300:10,110100:9', '440300:3,110100:5');
				expect(behind.statusLists).toHaveLength(1);
				const { openStatusDocument } = await import('../../core/status-list.js');
				const o = await openTrustBundle(fresh, { rootPublicKey: f.root.publicKey, backend: tweetnaclBackend, nowSec: f.NOW_S });
				const delta = await openStatusDocument(behind.statusLists[0]!, { trustList: o.trust, backend: tweetnaclBackend });
				expect(delta.ok && [delta.content.since, delta.content.seq, delta.content.revoked]).toEqual([10, 11, [id(7)]]);
				const newKeys = await bundle('440300:11,110100:9', '440300:3');
				expect(newKeys.keyLists).toHaveLength(1); // Beijing's, which the caller lacks, with its certificate
				expect(newKeys.certs).toHaveLength(1);
			});

			it('rejects malformed have/keys parameters', () => {
				for (const bad of ['440300', '440300:x', 'abc:1', '440300:1,440300:2', '040300:1'])
					expect(() => parseVersions(bad, 'have')).toThrow(/./);
				expect([...parseVersions('440300:12,110100:7', 'have')]).toEqual([
					['440300', 12],
					['110100', 7]
				]);
			});
		});
	});
}
