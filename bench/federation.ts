/**
 * Federation bench (issue 14), BENCH_ONLY=federation: bytes a scanner downloads per refresh of the national
 * bundle (docs/federation.md "Path to national scale").
 *
 * - measured: a real gateway (federation/gateway-trust.ts on SQLite) with 2 regions, a day of uploads (heartbeat
 *   deltas every 6 h, revocation deltas every 15 min), and what a scanner that refreshed yesterday downloads;
 * - simulated: 333 regions, documents built and signed exactly as regions sign them, sized as the gateway would
 *   serve them (per region the smaller of the delta chain and the full list), at a stated revocation rate.
 *
 * Revocation rate (stated): a moderate wave, 30 000 residents recoloured per day nationally (≈ 0.002 % of 1.4
 * billion: ~3 000 cases and ~27 000 close and secondary contacts), each revoking its 2 live codes (current +
 * pre-issued) → 60 000 code ids/day, spread over regions in proportion to a skewed (Zipf-like) weight. Entries
 * live ≤ 25 h on a list (phone codes expire after 24 h, + 1 h grace), so a full list holds about a day's worth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBase64Url } from '../src/lib/core/bytes.js';
import { nodeKeyPair } from '../src/lib/server/crypto/node-ed25519.js';
import { fullListDue, FULL_LIST_HEADER_SHARE } from '../src/lib/server/federation/region-publish.js';
import { kidOf } from '../src/lib/core/kid.js';
import { signCertificate } from '../src/lib/core/federation/certificate.js';
import { signRegionKeyList } from '../src/lib/core/federation/region-key-list.js';
import { encodeTrustBundle } from '../src/lib/core/federation/trust-bundle.js';
import { signStatusList } from '../src/lib/core/status-list.js';
import { createNodeBackend } from '../src/lib/server/crypto/node-ed25519.js';
import { openDatabase } from '../src/lib/server/store/open.js';
import { acceptKeyList, acceptStatusDocument, installCertificate, nationalBundle } from '../src/lib/server/federation/gateway-trust.js';
import { table } from './timing.js';

const DAY = 86_400;
const NOW = Math.floor(Date.UTC(2026, 11, 1) / 1000);
export const NATIONAL_RECOLOURS_PER_DAY = 30_000;
const CODES_PER_RECOLOUR = 2;
const DELTA_EVERY_S = 15 * 60;
const HEARTBEAT_S = 6 * 3600;

function key(label: string) {
	const seed = new Uint8Array(32);
	const b = new TextEncoder().encode(label);
	for (let i = 0; i < 32; i++) seed[i] = (b[i % b.length]! * 31 + i * 7) & 255;
	// node:crypto signs ~20× faster than tweetnacl; Ed25519 is deterministic, so the documents are the same bytes
	const pair = nodeKeyPair(seed);
	return { ...pair, kid: kidOf(pair.publicKey) };
}
const root = key('bench-root');
let idCounter = 0;
const codeId = () => {
	idCounter++;
	const out = new Uint8Array(12);
	for (let i = 0; i < 12; i++) out[i] = (idCounter * 2654435761 + i * 97) & 255;
	return toBase64Url(out);
};

interface Region {
	region: string;
	authority: ReturnType<typeof key>;
	issuer: ReturnType<typeof key>;
	cert: Uint8Array;
	keyList: Uint8Array;
}

async function region(i: number): Promise<Region> {
	const code = String(110100 + i * 100);
	const authority = key(`authority-${code}`),
		exchange = key(`exchange-${code}`),
		issuer = key(`issuer-${code}`),
		next = key(`issuer-next-${code}`);
	const cert = await signCertificate(
		{
			role: 'region',
			region: code,
			authority: toBase64Url(authority.publicKey),
			exchange: toBase64Url(exchange.publicKey),
			notBefore: NOW - DAY,
			notAfter: NOW + 365 * DAY,
			issuedAt: NOW - DAY
		},
		root
	);
	const entry = (k: ReturnType<typeof key>) => ({
		kid: Buffer.from(k.kid).toString('hex'),
		region: code,
		publicKey: toBase64Url(k.publicKey),
		notBefore: NOW - DAY,
		notAfter: NOW + 365 * DAY,
		status: 'active' as const
	});
	const keyList = await signRegionKeyList(
		{ region: code, version: 1, issuedAt: NOW - 3600, maxAge: 7 * DAY, keys: [entry(issuer), entry(next)] },
		authority
	);
	return { region: code, authority, issuer, cert, keyList };
}

/** Zipf-like shares: a few big regions revoke most. */
function shares(n: number): number[] {
	const w = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** 0.8);
	const sum = w.reduce((a, b) => a + b, 0);
	return w.map((x) => x / sum);
}

/** One region's day: the deltas it uploads (heartbeats + a delta every 15 min with revocations) and its full list at the end. */
async function regionDay(r: Region, revokedToday: number, startSeq: number) {
	const deltas: Uint8Array[] = [];
	const all: string[] = [];
	let seq = startSeq;
	const slots = DAY / DELTA_EVERY_S;
	for (let s = 0; s < slots; s++) {
		const t = NOW + s * DELTA_EVERY_S;
		const n = Math.floor(((s + 1) * revokedToday) / slots) - Math.floor((s * revokedToday) / slots);
		if (n === 0 && (s * DELTA_EVERY_S) % HEARTBEAT_S !== 0) continue;
		const ids = Array.from({ length: n }, codeId);
		all.push(...ids);
		deltas.push(await signStatusList({ region: r.region, seq: seq + 1, since: seq, issuedAt: t, maxAge: DAY, revoked: ids }, r.issuer));
		seq++;
	}
	const full = await signStatusList({ region: r.region, seq, since: 0, issuedAt: NOW + DAY - 60, maxAge: DAY, revoked: all }, r.issuer);
	return { deltas, full, seq };
}

/**
 * One region's day as the product publishes it (region-publish.ts, the default schedule): a delta every minute in
 * which something was revoked (heartbeats every 6 h), and a full list after the delta whenever the headers of the
 * deltas since the last full list reach FULL_LIST_HEADER_SHARE of it (fullListDue). The day starts from a full list
 * at `startSeq` (what yesterday's scanner holds).
 */
async function productDay(r: Region, revokedToday: number, startSeq: number) {
	const deltas: { since: number; doc: Uint8Array }[] = [];
	let full = { seq: startSeq, doc: null as Uint8Array | null };
	const all: string[] = [];
	let seq = startSeq;
	const slots = DAY / 60;
	for (let s = 0; s < slots; s++) {
		const t = NOW + s * 60;
		const n = Math.floor(((s + 1) * revokedToday) / slots) - Math.floor((s * revokedToday) / slots);
		if (n === 0 && (s * 60) % HEARTBEAT_S !== 0) continue;
		const ids = Array.from({ length: n }, codeId);
		all.push(...ids);
		deltas.push({
			since: seq,
			doc: await signStatusList({ region: r.region, seq: seq + 1, since: seq, issuedAt: t, maxAge: DAY, revoked: ids }, r.issuer)
		});
		seq++;
		const doc = await signStatusList({ region: r.region, seq, since: 0, issuedAt: t, maxAge: DAY, revoked: all }, r.issuer);
		if (fullListDue(seq, full.seq, doc.length)) full = { seq, doc };
	}
	return { deltas, full, seq };
}

/** 333 regions publishing as the product does; per region the gateway serves the smaller of the chain and the newest full list + the deltas after it. */
async function simulatedProduct(n: number): Promise<string[]> {
	const regions = await Promise.all(Array.from({ length: n }, (_, i) => region(i)));
	const share = shares(n);
	const perDay = NATIONAL_RECOLOURS_PER_DAY * CODES_PER_RECOLOUR;
	const daily: Uint8Array[] = [];
	let docs = 0;
	for (let i = 0; i < n; i++) {
		const day = await productDay(regions[i]!, Math.round(perDay * share[i]!), 1);
		const size = (ds: Uint8Array[]) => ds.reduce((t, d) => t + d.length, 0);
		const chain = day.deltas.map((d) => d.doc);
		const fromFull = day.full.doc ? [day.full.doc, ...day.deltas.filter((d) => d.since >= day.full.seq).map((d) => d.doc)] : chain;
		const pick = size(chain) <= size(fromFull) ? chain : fromFull;
		daily.push(...pick);
		docs += pick.length;
	}
	const dailyBytes = encodeTrustBundle({ issuedAt: NOW + DAY, certs: [], revocations: [], keyLists: [], statusLists: daily }).length;
	return [`${n} simulated, the product's cadence (${docs} documents)`, '—', fmtBytes(dailyBytes), dailyBytes <= 1_000_000 ? 'yes' : 'NO'];
}

async function simulated(n: number): Promise<string[]> {
	const regions = await Promise.all(Array.from({ length: n }, (_, i) => region(i)));
	const share = shares(n);
	const perDay = NATIONAL_RECOLOURS_PER_DAY * CODES_PER_RECOLOUR;
	const first = encodeTrustBundle({
		issuedAt: NOW,
		certs: regions.map((r) => r.cert),
		revocations: [],
		keyLists: regions.map((r) => r.keyList),
		statusLists: await Promise.all(
			regions.map((r) => signStatusList({ region: r.region, seq: 1, since: 0, issuedAt: NOW, maxAge: DAY, revoked: [] }, r.issuer))
		)
	}).length;
	const daily: Uint8Array[] = [];
	for (let i = 0; i < n; i++) {
		const day = await regionDay(regions[i]!, Math.round(perDay * share[i]!), 1);
		const chain = day.deltas.reduce((s, d) => s + d.length, 0);
		if (chain <= day.full.length) daily.push(...day.deltas);
		else daily.push(day.full);
	}
	const dailyBytes = encodeTrustBundle({ issuedAt: NOW + DAY, certs: [], revocations: [], keyLists: [], statusLists: daily }).length;
	return [`${n} simulated`, fmtBytes(first), fmtBytes(dailyBytes), dailyBytes <= 1_000_000 ? 'yes' : 'NO'];
}

async function measured(): Promise<string[]> {
	const dir = mkdtempSync(join(tmpdir(), 'tongxing-bench-fed-'));
	const opened = await openDatabase({ dataDir: dir, databaseUrl: '' });
	try {
		const regions = [await region(0), await region(1)];
		const ctx = { db: opened.db, rootPublicKey: root.publicKey, backend: createNodeBackend(), now: (NOW + DAY) * 1000 };
		for (const r of regions) {
			await installCertificate(ctx, r.cert);
			await acceptKeyList(ctx, r.region, r.keyList);
			await acceptStatusDocument(
				ctx,
				r.region,
				await signStatusList({ region: r.region, seq: 1, since: 0, issuedAt: NOW, maxAge: DAY, revoked: [] }, r.issuer)
			);
		}
		const firstBundle = await nationalBundle(ctx, new Map(), new Map());
		// the two regions' share of the national rate (Shenzhen-sized and Beijing-sized: ~1.3 % and ~1.5 % of people)
		const perDay = NATIONAL_RECOLOURS_PER_DAY * CODES_PER_RECOLOUR;
		const seqs = new Map<string, number>();
		for (const [i, r] of regions.entries()) {
			const day = await regionDay(r, Math.round(perDay * [0.013, 0.015][i]!), 1);
			for (const d of day.deltas) await acceptStatusDocument(ctx, r.region, d);
			await acceptStatusDocument(ctx, r.region, day.full);
			seqs.set(r.region, day.seq);
		}
		const daily = await nationalBundle(ctx, new Map(regions.map((r) => [r.region, 1])), new Map(regions.map((r) => [r.region, 1])));
		return [
			'2 measured (gateway on SQLite)',
			fmtBytes(firstBundle.length),
			fmtBytes(daily.length),
			daily.length <= 1_000_000 ? 'yes' : 'NO'
		];
	} finally {
		await opened.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

const fmtBytes = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} kB`);

export async function federationBench(): Promise<string> {
	const rows = [await measured(), await simulated(333), await simulatedProduct(333)];
	return [
		'## Federation: bytes per scanner refresh (issue 14)',
		'',
		`Revocation rate: ${NATIONAL_RECOLOURS_PER_DAY.toLocaleString('en')} recolours/day nationally × ${CODES_PER_RECOLOUR} live codes = ${(NATIONAL_RECOLOURS_PER_DAY * CODES_PER_RECOLOUR).toLocaleString('en')} revoked code ids/day, Zipf-like over regions; deltas every 15 min, heartbeats every 6 h; the gateway serves per region the smaller of the delta chain and the full list. The last row publishes as the product does by default: a delta every minute with a revocation, a full list after the delta once the deltas' headers since the last one reach ${FULL_LIST_HEADER_SHARE * 100} % of it, served as the smaller of the chain and the newest full list plus the deltas after it.`,
		'',
		table(['regions', 'first refresh (certificates, key lists, status lists)', 'daily refresh (yesterday → today)', '≤ 1 MB'], rows)
	].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await federationBench());
