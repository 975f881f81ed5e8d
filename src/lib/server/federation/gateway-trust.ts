/**
 * The national trust documents on a gateway (and a region's mirror of them): certificates the root signed
 * (installed by the onboarding ceremony), region key lists and status lists that regions upload, and the national
 * bundle that scanners download with per-region deltas (docs/federation.md, docs/code-format.md §10).
 *
 * Every upload is checked against the region's root-signed certificate before it is stored, so the gateway
 * refuses what every scanner would refuse anyway — but scanners do not rely on that: they check each document
 * again (core/federation/trust-bundle.ts). The gateway holds no key that can make a scanner accept anything.
 */
import { fromBase64Url, toBase64Url, toHex } from '../../core/bytes.js';
import { cborDecode } from '../../core/cbor.js';
import { parseCose } from '../../core/cose.js';
import type { Ed25519Backend } from '../../core/ed25519/ed25519.js';
import { kidHexOf, openCertificate, openCertRevocations } from '../../core/federation/certificate.js';
import { openRegionKeyList, regionKeyListSigner } from '../../core/federation/region-key-list.js';
import { encodeTrustBundle, openTrustBundle, type OpenedTrustBundle } from '../../core/federation/trust-bundle.js';
import { openStatusDocument } from '../../core/status-list.js';
import { REGION_RE } from '../../core/claims.js';
import { DomainError } from '../domain-error.js';
import { spendUploadBudget } from './gateway-upload-limit.js';
import { transaction, type Store } from '../store/db.js';
import {
	allCertificates,
	allKeyLists,
	allRevocations,
	keyListVersion,
	pruneStatusDeltas,
	putCertificate,
	putKeyList,
	putRevocations,
	putStatusDoc,
	statusDocs,
	statusHead,
	statusHeads
} from '../store/federation-trust.js';

/** Clocks of regions and gateway may disagree this much (issue 14: ±10 min) before a document reads as "from the future". */
export const FEDERATION_CLOCK_SKEW_SECONDS = 600;
/** Deltas kept per region behind its newest full list: a scanner offline for longer gets the full list. */
export const STATUS_DELTAS_KEPT = 200;
/** Largest document a region may upload (a status list of ~30 000 revoked codes). */
export const MAX_UPLOAD_BYTES = 512 * 1024;

export interface FederationContext {
	db: Store;
	/** the pinned national root public key */
	rootPublicKey: Uint8Array;
	backend: Ed25519Backend;
	/** Unix ms */
	now: number;
	/** the gateway's upload routes: uploads spend the region's budget (gateway-upload-limit.ts); unset for a region's own copy */
	limitUploads?: boolean;
}

const nowSec = (ctx: FederationContext) => Math.floor(ctx.now / 1000);

function requireRegion(region: string): void {
	if (!REGION_RE.test(region)) throw new DomainError('gateway/region', { detail: `not a GB/T 2260 region code: ${region}` });
}

/** Ceremony: installs a root-signed certificate (region or gateway). */
export async function installCertificate(
	ctx: FederationContext,
	bytes: Uint8Array
): Promise<{ role: string; region: string | null; kid: string }> {
	const c = await openCertificate(bytes, ctx);
	if (!c.ok) throw new DomainError('gateway/forged', { detail: `certificate refused: ${c.detail}` });
	const cert = c.value;
	if (cert.notAfter < nowSec(ctx)) throw new DomainError('gateway/unknown-region', { detail: 'certificate already expired' });
	const kid = kidHexOf(cert.role === 'region' ? cert.authority : cert.key);
	const region = cert.role === 'region' ? cert.region : null;
	await putCertificate(ctx.db, { kid, role: cert.role, region, notAfter: cert.notAfter, doc: toBase64Url(bytes), at: ctx.now });
	return { role: cert.role, region, kid };
}

/** Ceremony: installs root-signed revocations (a compromised region's authority, a retired gateway). */
export async function installRevocations(ctx: FederationContext, bytes: Uint8Array): Promise<{ version: number; revoked: string[] }> {
	const r = await openCertRevocations(bytes, ctx);
	if (!r.ok) throw new DomainError('gateway/forged', { detail: `revocations refused: ${r.detail}` });
	await putRevocations(ctx.db, r.value.version, toBase64Url(bytes), ctx.now);
	return r.value;
}

/** Everything stored, opened exactly as a scanner opens it. */
export async function storedTrust(ctx: FederationContext): Promise<OpenedTrustBundle> {
	const dec = (d: string) => fromBase64Url(d)!;
	return openTrustBundle(
		{
			issuedAt: nowSec(ctx),
			certs: (await allCertificates(ctx.db)).map((c) => dec(c.doc)),
			revocations: (await allRevocations(ctx.db)).map((r) => dec(r.doc)),
			keyLists: (await allKeyLists(ctx.db)).map((k) => dec(k.doc)),
			statusLists: []
		},
		{ rootPublicKey: ctx.rootPublicKey, backend: ctx.backend, nowSec: nowSec(ctx) }
	);
}

/** The certified authorities valid now: authority kid → region (revocations and windows applied). */
async function certifiedAuthorities(ctx: FederationContext): Promise<Map<string, { region: string; authority: string; exchange: string }>> {
	const revoked = new Set<string>();
	for (const r of await allRevocations(ctx.db)) {
		const o = await openCertRevocations(fromBase64Url(r.doc)!, ctx);
		if (o.ok) for (const k of o.value.revoked) revoked.add(k);
	}
	const out = new Map<string, { region: string; authority: string; exchange: string }>();
	for (const row of await allCertificates(ctx.db)) {
		if (row.role !== 'region' || revoked.has(row.kid)) continue;
		const c = await openCertificate(fromBase64Url(row.doc)!, ctx);
		if (!c.ok || c.value.role !== 'region') continue;
		if (nowSec(ctx) + FEDERATION_CLOCK_SKEW_SECONDS < c.value.notBefore || nowSec(ctx) > c.value.notAfter) continue;
		out.set(row.kid, { region: c.value.region, authority: c.value.authority, exchange: c.value.exchange });
	}
	return out;
}

function notFromTheFuture(ctx: FederationContext, issuedAt: number, what: string): void {
	if (issuedAt > nowSec(ctx) + FEDERATION_CLOCK_SKEW_SECONDS)
		throw new DomainError('gateway/bad-document', {
			detail: `${what} issued ${issuedAt - nowSec(ctx)} s in the future (skew allowed ±${FEDERATION_CLOCK_SKEW_SECONDS} s)`
		});
}

/**
 * A region uploads its issuer-key list. Refused: not a key list (bad-document); the region has no valid
 * certificate (unknown-region); signed by anything but that region's certified authority — the gateway's own key,
 * an unknown key, a bad signature (forged); signed by another region's authority, for another region, or naming
 * a key of another region (wrong-region); not newer than the version held (replayed).
 */
export async function acceptKeyList(
	ctx: FederationContext,
	region: string,
	bytes: Uint8Array
): Promise<{ region: string; version: number }> {
	requireRegion(region);
	const signer = regionKeyListSigner(bytes);
	if (signer === null) throw new DomainError('gateway/bad-document', { detail: 'not a COSE_Sign1 region key list' });
	const authorities = await certifiedAuthorities(ctx);
	if (![...authorities.values()].some((a) => a.region === region))
		throw new DomainError('gateway/unknown-region', { detail: `no valid certificate for region ${region}` });
	const auth = authorities.get(signer);
	if (!auth)
		throw new DomainError('gateway/forged', { detail: `signed by ${signer}, which is not the certified authority of region ${region}` });
	if (auth.region !== region)
		throw new DomainError('gateway/wrong-region', { detail: `signed by the authority of region ${auth.region}, uploaded for ${region}` });
	const opened = await openRegionKeyList(bytes, { authorityPublicKey: auth.authority, backend: ctx.backend });
	if (!opened.ok) throw new DomainError('gateway/forged', { detail: opened.detail });
	if (ctx.limitUploads) await spendUploadBudget(ctx.db, region, 'key-list', ctx.now);
	const list = opened.list;
	if (list.region !== region) throw new DomainError('gateway/wrong-region', { detail: `a key list for region ${list.region}` });
	const foreign = list.keys.find((k) => k.region !== region);
	if (foreign) throw new DomainError('gateway/wrong-region', { detail: `key ${foreign.kid} is for region ${foreign.region}` });
	notFromTheFuture(ctx, list.issuedAt, 'key list');
	const held = await keyListVersion(ctx.db, region);
	if (held !== undefined && list.version <= held)
		throw new DomainError('gateway/replayed', { params: { held }, detail: `version ${list.version}; the gateway holds ${held}` });
	if (!(await putKeyList(ctx.db, region, list.version, toBase64Url(bytes), ctx.now)))
		throw new DomainError('gateway/replayed', { detail: 'a newer version arrived at the same time' });
	return { region, version: list.version };
}

/**
 * A region uploads a status document: a full list (since 0), or a delta continuing exactly the seq the gateway
 * holds. Refused: unreadable (bad-document); signed by a key not accepted through the region's certificate and key
 * list, or a bad signature (forged); for another region or signed by another region's key (wrong-region); older
 * than or equal to what is held (replayed); a delta that skips seqs (gap).
 */
export async function acceptStatusDocument(
	ctx: FederationContext,
	region: string,
	bytes: Uint8Array
): Promise<{ region: string; seq: number; since: number }> {
	requireRegion(region);
	const cose = parseCose(cborDecode(bytes));
	if (typeof cose === 'string') throw new DomainError('gateway/bad-document', { detail: 'not a COSE_Sign1 status list' });
	const { trust } = await storedTrust(ctx);
	if (![...(trust.regions?.keys() ?? [])].includes(region))
		throw new DomainError('gateway/unknown-region', { detail: `no valid certificate and key list for region ${region}` });
	const key = trust.byKid.get(toHex(cose.kid));
	if (!key)
		throw new DomainError('gateway/forged', { detail: trust.refused?.get(toHex(cose.kid)) ?? 'signed by a key no region vouches for' });
	if (key.region !== region) throw new DomainError('gateway/wrong-region', { detail: `signed by a key of region ${key.region}` });
	const opened = await openStatusDocument(bytes, { trustList: trust, backend: ctx.backend });
	if (!opened.ok) {
		const wrong = /signed a list for/.test(opened.detail);
		throw new DomainError(wrong ? 'gateway/wrong-region' : 'gateway/forged', { detail: opened.detail });
	}
	if (ctx.limitUploads) await spendUploadBudget(ctx.db, region, 'status', ctx.now);
	const doc = opened.content;
	if (doc.region !== region) throw new DomainError('gateway/wrong-region', { detail: `a status list for region ${doc.region}` });
	notFromTheFuture(ctx, doc.issuedAt, 'status list');
	return transaction(ctx.db, async (tx) => {
		const head = (await statusHead(tx, region)) ?? { region, seq: 0, fullSeq: 0 };
		if (doc.since === 0) {
			if (doc.seq <= head.fullSeq || doc.seq < head.seq)
				throw new DomainError('gateway/replayed', { params: { held: head.seq }, detail: `seq ${doc.seq}; the gateway holds ${head.seq}` });
		} else if (doc.since !== head.seq) {
			if (doc.seq <= head.seq)
				throw new DomainError('gateway/replayed', { params: { held: head.seq }, detail: `seq ${doc.seq}; the gateway holds ${head.seq}` });
			throw new DomainError('gateway/gap', {
				params: { held: head.seq },
				detail: `delta continues ${doc.since}; the gateway holds ${head.seq}`
			});
		}
		const next = { seq: Math.max(head.seq, doc.seq), fullSeq: doc.since === 0 ? doc.seq : head.fullSeq };
		await putStatusDoc(tx, { region, since: doc.since, seq: doc.seq, doc: toBase64Url(bytes), at: ctx.now }, next);
		if (doc.since === 0) await pruneStatusDeltas(tx, region, doc.seq - STATUS_DELTAS_KEPT);
		return { region, seq: doc.seq, since: doc.since };
	});
}

/** What the gateway holds for one region (a region's publish job reads it to know what to upload). */
export async function regionHead(
	ctx: FederationContext,
	region: string
): Promise<{ region: string; keyListVersion: number; statusSeq: number; fullSeq: number }> {
	requireRegion(region);
	const head = await statusHead(ctx.db, region);
	return { region, keyListVersion: (await keyListVersion(ctx.db, region)) ?? 0, statusSeq: head?.seq ?? 0, fullSeq: head?.fullSeq ?? 0 };
}

/** `440300:12,110100:7` → region → number (at most 1000 regions); a malformed list is `gateway/have`. */
export function parseVersions(text: string | null, param: string): Map<string, number> {
	const out = new Map<string, number>();
	if (text === null || text === '') return out;
	const parts = text.split(',');
	if (parts.length > 1000) throw new DomainError('gateway/have', { detail: `${param}: more than 1000 regions` });
	for (const p of parts) {
		const m = /^([1-8]\d{5}):(\d{1,9})$/.exec(p);
		if (!m || out.has(m[1]!)) throw new DomainError('gateway/have', { detail: `${param}: expected REGION:NUMBER,… got ${p.slice(0, 40)}` });
		out.set(m[1]!, Number(m[2]));
	}
	return out;
}

/**
 * The national bundle for a caller that holds status seq `have` and key-list version `keys` per region: the key
 * lists (with their certificates) it lacks, every revocations document, and per region either nothing (up to
 * date), the chain of deltas from its seq, or the newest full list (when it has none, or deltas would be larger).
 */
export async function nationalBundle(ctx: FederationContext, have: Map<string, number>, keys: Map<string, number>): Promise<Uint8Array> {
	const dec = (d: string) => fromBase64Url(d)!;
	const lists = await allKeyLists(ctx.db);
	const certs = await allCertificates(ctx.db);
	const wanted = lists.filter((l) => (keys.get(l.region) ?? 0) < l.version);
	const wantedRegions = new Set(wanted.map((l) => l.region));
	const statusLists: Uint8Array[] = [];
	for (const head of await statusHeads(ctx.db)) {
		const held = have.get(head.region);
		if (held === head.seq) continue;
		const docs = await statusDocs(ctx.db, head.region, Math.min(held ?? head.fullSeq, head.fullSeq));
		const full = docs.find((d) => d.since === 0 && d.seq === head.fullSeq);
		const chain = held !== undefined && held > 0 && held < head.seq ? deltaChain(docs, held, head.seq) : [];
		// the full list and the deltas after it, or the chain from what the caller holds: whichever is smaller
		const fromFull = full ? [full.doc, ...deltaChain(docs, full.seq, head.seq, true)] : [];
		const size = (ds: string[]) => ds.reduce((n, d) => n + d.length, 0);
		const pick = chain.length && (!fromFull.length || size(chain) <= size(fromFull)) ? chain : fromFull;
		statusLists.push(...pick.map(dec));
	}
	return encodeTrustBundle({
		issuedAt: nowSec(ctx),
		// the gateway's own certificate once, with a caller's first download; region certificates with their key lists
		certs: certs
			.filter((c) => (c.role === 'gateway' && keys.size === 0) || (c.region !== null && wantedRegions.has(c.region)))
			.map((c) => dec(c.doc)),
		revocations: (await allRevocations(ctx.db)).map((r) => dec(r.doc)),
		keyLists: wanted.map((l) => dec(l.doc)),
		statusLists
	});
}

/** The deltas leading from seq `from` to `to`, oldest first; none when the chain is broken (unless `partial`). */
function deltaChain(docs: { since: number; seq: number; doc: string }[], from: number, to: number, partial = false): string[] {
	const out: string[] = [];
	let at = from;
	for (const d of docs) {
		if (d.since > 0 && d.since === at) {
			out.push(d.doc);
			at = d.seq;
		}
	}
	return at === to || partial ? out : [];
}

/** Shared interface with fed-facts: a region's exchange key as the root certified it, valid at `at` (Unix ms). */
export interface ExchangeKeys {
	exchangeKey(region: string, at: number): Promise<Uint8Array | null>;
}

/** The real ExchangeKeys: from the certificates stored here (gateway: installed; region: mirrored), revocations applied. */
export function regionExchangeKeys(ctx: Omit<FederationContext, 'now'>): ExchangeKeys {
	return {
		async exchangeKey(region, at) {
			for (const a of (await certifiedAuthorities({ ...ctx, now: at })).values()) if (a.region === region) return fromBase64Url(a.exchange);
			return null;
		}
	};
}
