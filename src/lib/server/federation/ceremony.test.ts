/**
 * The onboarding ceremony and the publish/mirror jobs end to end, in one process: a national root, a gateway and
 * two regions (each its own DATA_DIR and database), the gateway reached through an in-process GatewayClient.
 * Then the compromise cases of issue 14: a region's key marked compromised in its own list, and a region's
 * certificate revoked by the root — refused everywhere after the next refresh, the other region unaffected.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../core/bytes.js';
import { decodeTrustBundle, openTrustBundle, type TrustBundle } from '../../core/federation/trust-bundle.js';
import { applyStatusDocument, openStatusDocument, type StatusList } from '../../core/status-list.js';
import { createNodeBackend } from '../crypto/node-ed25519.js';
import { KeyStore } from '../keys/keystore.js';
import { readRootPublicKey } from '../keys/published.js';
import { compromiseKey } from '../keys/rotate.js';
import { openDatabase, type OpenDatabase } from '../store/open.js';
import { revokeCodes } from '../issuer/status.js';
import { certify, gatewayRequest, initNationalRoot, installFederationDocument, regionRequest, revokeKey } from './ceremony.js';
import { acceptKeyList, acceptStatusDocument, nationalBundle, parseVersions, regionHead, type FederationContext } from './gateway-trust.js';
import { fullListDue, mirrorNational, publishRegion, type GatewayClient } from './region-publish.js';
import { isFederatedRegion } from '../keys/region-certificate-files.js';
import { allKeyLists } from '../store/federation-trust.js';
import { federationContext } from './federation-context.js';

const T0 = Date.UTC(2026, 11, 1, 2, 0, 0);
const clock = { now: T0 };
const backend = createNodeBackend();
const dirs: string[] = [];
const tmp = (label: string) => {
	const d = mkdtempSync(join(tmpdir(), `tongxing-fed-${label}-`));
	dirs.push(d);
	return d;
};

interface Node {
	dataDir: string;
	opened: OpenDatabase;
	keys: KeyStore;
	deps: Parameters<typeof publishRegion>[0];
}

async function node(label: string, region: string): Promise<Node> {
	const dataDir = tmp(label);
	const opened = await openDatabase({ dataDir, databaseUrl: '' });
	const keys = new KeyStore(dataDir);
	return { dataDir, opened, keys, deps: { db: opened.db, dataDir, clock: () => clock.now, keys, config: { region } as never } };
}

let rootDir: string;
let gw: Node, a: Node, b: Node;
const gwCtx = (): FederationContext => federationContext(gw.deps);
/** The gateway's HTTP API, in process (the routes call exactly these). */
let gatewayDown = false;
const client: GatewayClient = {
	head: (region) => (gatewayDown ? Promise.reject(new Error('connect ECONNREFUSED')) : regionHead(gwCtx(), region)),
	upload: async (kind, region, bytes) => {
		if (gatewayDown) throw new Error('connect ECONNREFUSED');
		if (kind === 'keys') await acceptKeyList(gwCtx(), region, bytes);
		else await acceptStatusDocument(gwCtx(), region, bytes);
	},
	bundle: (query) => {
		if (gatewayDown) return Promise.reject(new Error('connect ECONNREFUSED'));
		const q = new URLSearchParams(query.slice(1));
		return nationalBundle(gwCtx(), parseVersions(q.get('have'), 'have'), parseVersions(q.get('keys'), 'keys'));
	}
};

/** What a scanner of region `n` gets from its own region server's mirror, opened as the scanner opens it. */
async function scannerView(n: Node) {
	const bytes = await nationalBundle(federationContext(n.deps), new Map(), new Map());
	const bundle = decodeTrustBundle(bytes) as TrustBundle;
	const root = readRootPublicKey(n.dataDir)!;
	const opened = await openTrustBundle(bundle, { rootPublicKey: root, backend, nowSec: Math.floor(clock.now / 1000) });
	const lists = new Map<string, StatusList>();
	for (const s of bundle.statusLists) {
		const o = await openStatusDocument(s, { trustList: opened.trust, backend });
		if (!o.ok) continue;
		const applied = applyStatusDocument(lists.get(o.content.region), o.content);
		if (applied.ok) lists.set(o.content.region, applied.list);
	}
	const statuses = [...lists.values()].map((l) => ({ region: l.region, seq: l.seq, revoked: [...l.revoked] }));
	return { opened, statuses };
}

beforeAll(async () => {
	rootDir = tmp('root');
	const { nationalIdKeyPath } = initNationalRoot(rootDir);
	expect(readFileSync(nationalIdKeyPath, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
	expect(statSync(nationalIdKeyPath).mode & 0o777).toBe(0o600);
	gw = await node('gateway', '000000');
	a = await node('a', '440300');
	b = await node('b', '110100');
	const nowSec = Math.floor(T0 / 1000);
	const rootPub = fromBase64Url(readFileSync(join(rootDir, 'root-public-key.txt'), 'utf8').trim())!;
	const certs = {
		a: await certify(rootDir, await regionRequest(a.keys, a.dataDir, { region: '440300', nowSec }), { nowSec, validDays: 365 }),
		b: await certify(rootDir, await regionRequest(b.keys, b.dataDir, { region: '110100', nowSec }), { nowSec, validDays: 365 }),
		gw: await certify(rootDir, gatewayRequest(gw.dataDir, 'national-gateway'), { nowSec, validDays: 365 })
	};
	for (const c of [certs.a, certs.b, certs.gw]) await installFederationDocument(gw.deps, c, { rootPublicKey: rootPub });
	expect(await installFederationDocument(a.deps, certs.a, { rootPublicKey: rootPub })).toMatch(/now federated/);
	expect(await installFederationDocument(b.deps, certs.b, { rootPublicKey: rootPub })).toMatch(/now federated/);
	expect(isFederatedRegion(a.dataDir) && isFederatedRegion(b.dataDir) && !isFederatedRegion(gw.dataDir)).toBe(true);
}, 60_000);

afterAll(async () => {
	for (const n of [gw, a, b]) await n?.opened.close();
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('federation ceremony and jobs', { timeout: 60_000 }, () => {
	it('regions publish to the gateway and mirror each other: a scanner in A trusts B through the chain', async () => {
		expect(await publishRegion(a.deps, client)).toMatch(/uploaded key list v1, status seq 0 → 1/);
		expect(await publishRegion(b.deps, client)).toMatch(/uploaded key list v1/);
		expect(await publishRegion(a.deps, client)).toBeUndefined(); // nothing new: nothing sent
		await mirrorNational(a.deps, client);
		const view = await scannerView(a);
		expect([...view.opened.regions.keys()].sort()).toEqual(['110100', '440300']);
		expect(view.statuses.map((s) => s.region).sort()).toEqual(['110100', '440300']);
		expect(view.opened.problems).toEqual([]);
	});

	it('a revocation in B reaches A by a delta; the gateway down for a while loses nothing', async () => {
		clock.now += 60_000;
		const codeId = 'AAAAAAAAAAAAAAAA';
		await revokeCodes(b.opened.db, '110100', [codeId], clock.now);
		gatewayDown = true;
		try {
			await expect(publishRegion(b.deps, client)).rejects.toThrow(/ECONNREFUSED/);
			await expect(mirrorNational(a.deps, client)).rejects.toThrow(/ECONNREFUSED/);
		} finally {
			gatewayDown = false;
		}
		// B's own scanners already see it (B's own copy), A's not yet
		expect((await scannerView(b)).statuses.find((s) => s.region === '110100')?.revoked).toContain(codeId);
		expect(await publishRegion(b.deps, client)).toMatch(/status seq 1 → 2/);
		const delta = decodeTrustBundle(await client.bundle('?have=110100:1&keys=110100:1,440300:1')) as TrustBundle;
		// B: the delta since seq 1 or the full list, whichever is smaller; A: its full list (the caller has none)
		expect([delta.keyLists.length, delta.statusLists.length]).toEqual([0, 2]);
		await mirrorNational(a.deps, client);
		expect((await scannerView(a)).statuses.find((s) => s.region === '110100')?.revoked).toContain(codeId);
	});

	it('a region keeps a fresh full list at the gateway: a day-old scanner gets one list, not the day’s chain of deltas', async () => {
		expect([fullListDue(10, 9, 1800), fullListDue(10, 9, 1801), fullListDue(110, 10, 180_000)]).toEqual([true, false, true]);
		const before = await regionHead(gwCtx(), '110100');
		const ids: string[] = [];
		const DAY_OF_CHANGES = 60;
		for (let i = 0; i < DAY_OF_CHANGES; i++) {
			clock.now += 60_000;
			const id = toBase64Url(new Uint8Array(12).fill(i + 1));
			ids.push(id);
			await revokeCodes(b.opened.db, '110100', [id], clock.now);
			await publishRegion(b.deps, client);
		}
		const after = await regionHead(gwCtx(), '110100');
		expect(after.statusSeq).toBe(before.statusSeq + DAY_OF_CHANGES);
		// a small list: a full one follows every delta
		expect(after.fullSeq).toBe(after.statusSeq);
		const seqA = (await regionHead(gwCtx(), '440300')).statusSeq;
		const refresh = async (held: number) =>
			decodeTrustBundle(await client.bundle(`?have=110100:${held},440300:${seqA}&keys=110100:1,440300:1`)) as TrustBundle;
		// one step behind: the one delta; a day behind: the full list, not 60 deltas
		const oneBehind = await refresh(after.statusSeq - 1);
		const dayOld = await refresh(before.statusSeq);
		expect(oneBehind.statusLists).toHaveLength(1);
		expect(dayOld.statusLists).toHaveLength(1);
		expect(oneBehind.statusLists[0]!.length).toBeLessThan(dayOld.statusLists[0]!.length);
		await mirrorNational(a.deps, client);
		const inA = (await scannerView(a)).statuses.find((s) => s.region === '110100')!;
		expect(inA.seq).toBe(after.statusSeq);
		for (const id of ids) expect(inA.revoked).toContain(id);
	});

	it("B's key marked compromised: refused by A's scanners after the next refresh, A's keys unaffected", async () => {
		clock.now += 60_000;
		const kid = b.keys.issuers()[0]!.kid;
		await compromiseKey(b.keys, b.dataDir, { kid, nowSec: Math.floor(clock.now / 1000) });
		await publishRegion(b.deps, client);
		await mirrorNational(a.deps, client);
		const { opened } = await scannerView(a);
		expect(opened.trust.byKid.get(kid)?.status).toBe('compromised');
		expect(opened.trust.keys.filter((k) => k.region === '110100' && k.status === 'active')).toHaveLength(1); // the replacement
		expect(opened.trust.keys.filter((k) => k.region === '440300' && k.status === 'active')).toHaveLength(1);
	});

	it("the root revokes B's certificate: B's keys are refused in A after the next refresh, A's are not", async () => {
		clock.now += 60_000;
		const authorityKid = (JSON.parse(readFileSync(join(b.dataDir, 'keys', 'authority.json'), 'utf8')) as { kid: string }).kid;
		const { bytes } = await revokeKey(rootDir, authorityKid, Math.floor(clock.now / 1000));
		expect(await installFederationDocument(gw.deps, bytes)).toMatch(/revocations v1/);
		await mirrorNational(a.deps, client);
		const { opened } = await scannerView(a);
		expect([...opened.regions.keys()]).toEqual(['440300']);
		expect(opened.problems.join()).toMatch(/region 110100 refused: its authority key .* is revoked/);
		const bList = (await allKeyLists(b.opened.db)).find((l) => l.region === '110100')!;
		await expect(acceptKeyList(gwCtx(), '110100', fromBase64Url(bList.doc)!)).rejects.toThrow(/no valid certificate/);
	});
});
