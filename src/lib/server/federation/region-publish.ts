/**
 * A federated region's side of the protocol (docs/federation.md):
 *
 * - publish: signs its issuer-key list with its authority key (a new version whenever its keys change, re-signed
 *   daily so it stays inside its maxAge), takes it and its status list into its own copy of the national documents,
 *   and uploads to the gateway what the gateway lacks: the key list, then the status list as a delta continuing the
 *   gateway's seq (the full list when the gateway has none or the chain is broken). When nothing was revoked for
 *   STATUS_HEARTBEAT_MS the seq is moved on with an empty delta, so every scanner's copy of this region's list
 *   stays fresh (maxAge 24 h) for a few hundred bytes instead of a full list.
 * - mirror: downloads the national bundle with the versions it holds and takes every document through the same
 *   checks as the gateway, so its scanners refresh all regions from their own region server, also while the
 *   gateway is down.
 *
 * Both run as scheduled jobs (jobs/schedule-job.ts) every minute; each request is retried with backoff and jitter
 * inside a run, and a run that still fails is logged and tried again at the next tick (the gateway down for an
 * hour: nothing is lost, the next run after it comes back uploads what it lacks).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { decodeTrustBundle } from '../../core/federation/trust-bundle.js';
import { signRegionKeyList } from '../../core/federation/region-key-list.js';
import { cborDecode } from '../../core/cbor.js';
import { parseCose } from '../../core/cose.js';
import { DomainError } from '../domain-error.js';
import type { IssuerDeps } from '../deps.js';
import { publicIssuerKey, signerFor } from '../keys/keystore.js';
import { publicDir, TRUST_LIST_MAX_AGE_SECONDS } from '../keys/published.js';
import { statusListDocument } from '../issuer/status.js';
import { appendToStatusList, statusListSeq } from '../store/status-list.js';
import { allKeyLists, keyListVersion, statusHead, statusHeads } from '../store/federation-trust.js';
import { federationContext } from './federation-context.js';
import { acceptKeyList, acceptStatusDocument, installCertificate, installRevocations } from './gateway-trust.js';
import { readAuthorityKey } from '../keys/region-certificate-files.js';
import type { GatewayRegionHead } from '../../core/contract/federation-trust.js';

export const STATUS_HEARTBEAT_MS = 6 * 3_600_000;
/**
 * A region publishes a delta every run that found a change (every minute by default). Without fresh full lists the
 * holder's (gateway's, mirror's) only full list is the first one, and a scanner refreshing daily would get the day's
 * whole chain of deltas — ~180 bytes of signature and header each (STATUS_DOC_OVERHEAD_BYTES), up to 1 440 a day per
 * region. So after a delta, a full list at the same seq follows once the headers of the deltas since the holder's
 * newest full list reach FULL_LIST_HEADER_SHARE of that full list: a day-old scanner then gets at most
 * (1 + FULL_LIST_HEADER_SHARE) × a full list per region (the gateway serves the smaller of the chain and the newest
 * full list plus the deltas after it), one step behind still one small delta. A quiet region's full list is a few
 * hundred bytes and follows nearly every delta; a busy one's (tens of kB) every few dozen.
 */
export const FULL_LIST_HEADER_SHARE = 0.1;
export const STATUS_DOC_OVERHEAD_BYTES = 180;

/** Whether a full list of `fullBytes` at `seq` should follow the delta to a holder whose newest full list is at `fullSeq`. */
export function fullListDue(seq: number, fullSeq: number, fullBytes: number): boolean {
	return (seq - fullSeq) * STATUS_DOC_OVERHEAD_BYTES >= FULL_LIST_HEADER_SHARE * fullBytes;
}
const KEY_LIST_RESIGN_MS = 24 * 3_600_000;

type Deps = Pick<IssuerDeps, 'db' | 'dataDir' | 'clock' | 'keys' | 'config'>;

interface PublishState {
	keyListVersion: number;
	keysDigest: string;
	signedAt: number;
	statusSeqAt: number;
	statusSeq: number;
}

function statePath(dataDir: string): string {
	return join(publicDir(dataDir), 'federation-state.json');
}

function readState(dataDir: string): PublishState {
	const p = statePath(dataDir);
	const empty = { keyListVersion: 0, keysDigest: '', signedAt: 0, statusSeqAt: 0, statusSeq: 0 };
	return existsSync(p) ? { ...empty, ...(JSON.parse(readFileSync(p, 'utf8')) as Partial<PublishState>) } : empty;
}

function writeState(dataDir: string, s: PublishState): void {
	mkdirSync(publicDir(dataDir), { recursive: true });
	const tmp = `${statePath(dataDir)}.${process.pid}.tmp`;
	writeFileSync(tmp, JSON.stringify(s, null, '\t') + '\n');
	renameSync(tmp, statePath(dataDir));
}

/** Calls to the gateway: JSON/bytes, a problem answer becomes a DomainError with its code. */
export interface GatewayClient {
	head(region: string): Promise<GatewayRegionHead>;
	upload(kind: 'keys' | 'status', region: string, bytes: Uint8Array): Promise<void>;
	bundle(query: string): Promise<Uint8Array>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A network call retried on failure (not on a refusal) with exponential backoff and full jitter. */
async function withRetry<T>(fn: () => Promise<T>, attempts = 3, baseMs = 500): Promise<T> {
	for (let i = 0; ; i++) {
		try {
			return await fn();
		} catch (e) {
			if (e instanceof DomainError || i + 1 >= attempts) throw e;
			await sleep(Math.random() * baseMs * 2 ** i);
		}
	}
}

/** The real client over fetch. */
export function httpGatewayClient(baseUrl: string, fetchFn: typeof fetch = fetch): GatewayClient {
	const check = async (res: Response) => {
		if (res.ok) return res;
		const body = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
		if (typeof body.code === 'string' && body.code.startsWith('gateway/'))
			throw new DomainError(body.code as 'gateway/replayed', { detail: body.detail ?? '' });
		throw new Error(`gateway answered ${res.status}`);
	};
	return {
		head: (region) =>
			withRetry(
				async () => (await (await check(await fetchFn(`${baseUrl}/api/v1/gateway/regions/${region}`))).json()) as GatewayRegionHead
			),
		upload: (kind, region, bytes) =>
			withRetry(async () => {
				await check(
					await fetchFn(`${baseUrl}/api/v1/gateway/${kind}/${region}`, {
						method: 'POST',
						headers: { 'content-type': 'application/cose' },
						body: new Uint8Array(bytes)
					})
				);
			}),
		bundle: (query) =>
			withRetry(async () => new Uint8Array(await (await check(await fetchFn(`${baseUrl}/api/v1/gateway/trust${query}`))).arrayBuffer()))
	};
}

/** This region's key list: a new version when its keys changed, else the one signed before (re-signed daily). */
async function currentKeyList(deps: Deps): Promise<Uint8Array | null> {
	const authority = readAuthorityKey(deps.dataDir);
	if (!authority) return null;
	const region = deps.config.region;
	const keys = deps.keys
		.issuers()
		.filter((k) => k.region === region)
		.map(publicIssuerKey)
		.sort((a, b) => a.kid.localeCompare(b.kid));
	const digest = createHash('sha256').update(JSON.stringify(keys)).digest('base64url');
	const state = readState(deps.dataDir);
	const now = deps.clock();
	const stored = (await allKeyLists(deps.db)).find((l) => l.region === region);
	if (stored && state.keysDigest === digest && now - state.signedAt < KEY_LIST_RESIGN_MS && stored.version === state.keyListVersion)
		return Buffer.from(stored.doc, 'base64url');
	const version = Math.max(state.keyListVersion, stored?.version ?? 0) + 1;
	const bytes = await signRegionKeyList(
		{ region, version, issuedAt: Math.floor(now / 1000), maxAge: TRUST_LIST_MAX_AGE_SECONDS, keys },
		signerFor(authority)
	);
	writeState(deps.dataDir, { ...state, keyListVersion: version, keysDigest: digest, signedAt: now });
	return bytes;
}

/** Ignores "already there" answers: uploads and takes are idempotent. */
async function idempotent(p: Promise<unknown>): Promise<void> {
	try {
		await p;
	} catch (e) {
		if (e instanceof DomainError && e.code === 'gateway/replayed') return;
		throw e;
	}
}

/** The status document that brings a holder at `held` to the region's current seq: a delta, or the full list. */
async function statusFor(deps: Deps, held: number): Promise<Uint8Array> {
	return (await statusListDocument(deps.db, deps.keys, deps.config.region, deps.clock(), held > 0 ? held : undefined)).bytes;
}

/** Moves the seq on with an empty delta when nothing changed for STATUS_HEARTBEAT_MS (see the file comment). */
async function heartbeat(deps: Deps): Promise<number> {
	const region = deps.config.region;
	const seq = Math.max((await statusListSeq(deps.db, region)) ?? 0, 1);
	const state = readState(deps.dataDir);
	const now = deps.clock();
	if (state.statusSeq !== seq) {
		writeState(deps.dataDir, { ...state, statusSeq: seq, statusSeqAt: now });
		return seq;
	}
	if (now - state.statusSeqAt < STATUS_HEARTBEAT_MS) return seq;
	const next = await appendToStatusList(deps.db, region, [], now);
	writeState(deps.dataDir, { ...readState(deps.dataDir), statusSeq: next, statusSeqAt: now });
	return next;
}

/** Brings a holder whose head is `held` (gateway or this region's own copy) up to date. */
async function bringUpToDate(
	deps: Deps,
	held: { seq: number; fullSeq: number },
	seq: number,
	put: (b: Uint8Array) => Promise<void>
): Promise<void> {
	if (held.seq >= seq) return;
	if (held.seq > 0) {
		try {
			await put(await statusFor(deps, held.seq));
			// the delta keeps holders one step behind cheap; a fresh full list keeps daily refreshes small
			const full = await statusFor(deps, 0);
			if (fullListDue(seq, held.fullSeq, full.length)) await put(full);
			return;
		} catch (e) {
			if (!(e instanceof DomainError && e.code === 'gateway/gap')) throw e;
		}
	}
	await put(await statusFor(deps, 0));
}

/** One publish run. Returns a line for the log, or nothing when there was nothing to do. */
export async function publishRegion(deps: Deps, gateway: GatewayClient | null): Promise<string | undefined> {
	const region = deps.config.region;
	const keyList = await currentKeyList(deps);
	if (!keyList) return 'no authority key: run the onboarding ceremony (tongxing federation region-request)';
	const ctx = () => federationContext(deps);
	await idempotent(acceptKeyList(ctx(), region, keyList));
	const seq = await heartbeat(deps);
	const local = (await statusHead(deps.db, region)) ?? { region, seq: 0, fullSeq: 0 };
	await bringUpToDate(deps, local, seq, (b) => idempotent(acceptStatusDocument(ctx(), region, b)));
	if (!gateway) return undefined;
	const head = await gateway.head(region);
	const done: string[] = [];
	const ours = (await keyListVersion(deps.db, region)) ?? 0;
	if (head.keyListVersion < ours) {
		await idempotent(gateway.upload('keys', region, keyList));
		done.push(`key list v${ours}`);
	}
	if (head.statusSeq < seq) {
		await bringUpToDate(deps, { seq: head.statusSeq, fullSeq: head.fullSeq }, seq, (b) => idempotent(gateway.upload('status', region, b)));
		done.push(`status seq ${head.statusSeq} → ${seq}`);
	}
	return done.length ? `uploaded ${done.join(', ')}` : undefined;
}

/** One mirror run: the national bundle since what this region holds, every document checked on the way in. */
export async function mirrorNational(deps: Deps, gateway: GatewayClient): Promise<string | undefined> {
	const have = (await statusHeads(deps.db)).map((h) => `${h.region}:${h.seq}`).join(',');
	const keys = (await allKeyLists(deps.db)).map((k) => `${k.region}:${k.version}`).join(',');
	const bytes = await gateway.bundle(`?have=${have}&keys=${keys}`);
	const bundle = decodeTrustBundle(bytes);
	if (typeof bundle === 'string') throw new Error(`gateway bundle unreadable: ${bundle}`);
	const ctx = () => federationContext(deps);
	let taken = 0;
	const take = async (p: Promise<unknown>) => {
		try {
			await p;
			taken++;
		} catch (e) {
			if (!(e instanceof DomainError)) throw e; // refused documents stay out; scanners would refuse them too
		}
	};
	for (const c of bundle.certs) await take(installCertificate(ctx(), c));
	for (const r of bundle.revocations) await take(installRevocations(ctx(), r));
	// the region named inside is only a routing hint: accept* checks the document against that region's certificate
	for (const k of bundle.keyLists) await take(acceptKeyList(ctx(), documentRegion(k), k));
	// full lists first, then deltas in order, so each delta finds the seq it continues
	const status = bundle.statusLists.map((b) => ({ b, ...documentOrder(b) })).sort((x, y) => x.since - y.since || x.seq - y.seq);
	for (const s of status) await take(acceptStatusDocument(ctx(), documentRegion(s.b), s.b));
	return taken ? `mirrored ${taken} documents (${bytes.length} bytes)` : undefined;
}

function payloadOf(bytes: Uint8Array): Map<unknown, unknown> | null {
	const cose = parseCose(cborDecode(bytes));
	if (typeof cose === 'string') return null;
	const m = cborDecode(cose.payload);
	return m instanceof Map ? m : null;
}

/** The region a document says it is for (unverified; '' when unreadable, which accept* refuses). */
function documentRegion(bytes: Uint8Array): string {
	const r = payloadOf(bytes)?.get('region');
	return typeof r === 'string' ? r : '';
}

function documentOrder(bytes: Uint8Array): { since: number; seq: number } {
	const m = payloadOf(bytes);
	const since = m?.get('since'),
		seq = m?.get('seq');
	return { since: typeof since === 'number' ? since : 0, seq: typeof seq === 'number' ? seq : 0 };
}
