/**
 * The gateway's part in the fact exchange (docs/federation.md §Facts). It holds no ID numbers and no key that
 * makes routing hashes; it only knows which region registered which hash.
 * - registrations: a region's signed list of its residents' routing hashes (incremental); a hash another region
 *   already holds is a conflict, reported to both and never overwritten;
 * - facts: a signed batch is checked whole (signer, signature, age) and per item (in the signed digests, well
 *   formed, from the signer's region, routable); accepted facts join their home region's queue once per (id, rev),
 *   rejected ones are kept with their reason and answered per item;
 * - pull / ack: a home region reads its queue with a signed request (only it can) after a cursor, and acknowledges.
 */
import { fromBase64Url } from '../../core/bytes.js';
import type { Ed25519Backend } from '../../core/ed25519/ed25519.js';
import type { ExchangeKeys } from '../../core/federation/exchange-keys.js';
import { openFactBatch } from '../../core/federation/fact-batch.js';
import { ROUTING_HASH_RE } from '../../core/federation/routing-hash.js';
import { openRegionMessage, type FedMessageType, type OpenedMessage } from '../../core/federation/region-message.js';
import { DomainError } from '../domain-error.js';
import { spendUploadBudget } from './gateway-upload-limit.js';
import { transaction, type Store } from '../store/db.js';
import {
	ackQueue,
	conflictsInvolving,
	enqueueFacts,
	homesOf,
	insertConflicts,
	insertHomes,
	insertRejections,
	putBatch,
	queueAfter,
	queueDepth,
	rejectionsOf
} from '../store/gateway-facts.js';

export interface GatewayFactDeps {
	db: Store;
	clock: () => number;
	keys: ExchangeKeys;
	backend: Ed25519Backend;
}

/** Requests (pull, ack, registrations, lists) older than this are refused: a captured request cannot be replayed later. */
export const MAX_REQUEST_AGE_SEC = 300;
export const MAX_REGISTRATIONS = 50_000;
export const MAX_PULL = 1000;

export interface ItemResult {
	index: number;
	factId: string | null;
	status: 'accepted' | 'rejected';
	code?: string;
	field?: string;
}

function messageError(code: string): DomainError {
	if (code === 'message/signature' || code === 'message/unknown-region') return new DomainError('federation/signature', { detail: code });
	return new DomainError('federation/refused', { detail: code });
}

async function openRequest(gw: GatewayFactDeps, body: unknown, type: FedMessageType): Promise<OpenedMessage> {
	const text = (body as { message?: unknown } | null)?.message;
	const bytes = typeof text === 'string' ? fromBase64Url(text) : null;
	if (!bytes) throw new DomainError('federation/refused', { detail: 'expected {"message": base64url COSE_Sign1}' });
	const opened = await openRegionMessage(bytes, {
		type,
		keys: gw.keys,
		backend: gw.backend,
		nowSec: Math.floor(gw.clock() / 1000),
		maxAgeSec: MAX_REQUEST_AGE_SEC
	});
	if (!opened.ok) throw messageError(opened.code);
	return opened.message;
}

/** POST /api/v1/gateway/facts: one signed batch; answers per item. Replaying a batch answers the same and stores nothing twice. */
export async function acceptFactBatch(gw: GatewayFactDeps, envelope: unknown): Promise<{ batch: string; results: ItemResult[] }> {
	const now = gw.clock();
	const opened = await openFactBatch(envelope, { keys: gw.keys, backend: gw.backend, nowSec: Math.floor(now / 1000) });
	if (!opened.ok) throw messageError(opened.code);
	const b = opened.batch;
	await spendUploadBudget(gw.db, b.region, 'fact-batch', now);
	const batchKey = `${b.region}:${b.batchId}`;
	const ok = b.items.flatMap((i) => (i.check.ok ? [{ item: i, fact: i.check.fact }] : []));
	const homes = await homesOf(gw.db, [...new Set(ok.map((x) => x.fact.subject))]);
	const results: ItemResult[] = [];
	const queued: Parameters<typeof enqueueFacts>[1][number][] = [];
	for (const i of b.items) {
		if (!i.check.ok) {
			results.push({
				index: i.index,
				factId: factIdOf(i.text),
				status: 'rejected',
				code: i.check.code,
				...(i.check.field ? { field: i.check.field } : {})
			});
			continue;
		}
		const f = i.check.fact;
		const home = homes.get(f.subject);
		// no home, or the sender's own resident (it should apply the fact itself): nowhere to route it
		if (home === undefined || home === b.region) {
			results.push({ index: i.index, factId: f.id, status: 'rejected', code: 'fact/unroutable', field: 'subject' });
			continue;
		}
		queued.push({ toRegion: home, fromRegion: b.region, factId: f.id, rev: f.rev, batchKey, text: i.text });
		results.push({ index: i.index, factId: f.id, status: 'accepted' });
	}
	const rejected = results.filter((r) => r.status === 'rejected');
	await transaction(gw.db, async (tx) => {
		if (queued.length) await putBatch(tx, { batchKey, region: b.region, message: (envelope as { message: string }).message }, now);
		await enqueueFacts(tx, queued, now);
		await insertRejections(
			tx,
			rejected.map((r) => ({
				from_region: b.region,
				batch_id: b.batchId,
				fact_id: r.factId,
				code: r.code!,
				field: r.field ?? null,
				at: now
			}))
		);
	});
	return { batch: b.batchId, results };
}

function factIdOf(text: string): string | null {
	try {
		const id = (JSON.parse(text) as { id?: unknown } | null)?.id;
		return typeof id === 'string' && id.length <= 80 ? id : null;
	} catch {
		return null;
	}
}

/** POST /api/v1/gateway/registrations: {"message"} signed "registrations", body {"routes": [hash…]}. */
export async function acceptRegistrations(
	gw: GatewayFactDeps,
	body: unknown
): Promise<{ registered: number; conflicts: { route: string; home: string }[] }> {
	const m = await openRequest(gw, body, 'registrations');
	await spendUploadBudget(gw.db, m.region, 'registrations', gw.clock());
	const routes = (m.body as { routes?: unknown } | null)?.routes;
	if (!Array.isArray(routes) || routes.length > MAX_REGISTRATIONS || !routes.every((r) => typeof r === 'string' && ROUTING_HASH_RE.test(r)))
		throw new DomainError('federation/refused', { detail: `expected {"routes": [routing hash…]} (at most ${MAX_REGISTRATIONS})` });
	const unique = [...new Set(routes as string[])];
	const now = gw.clock();
	const homes = await homesOf(gw.db, unique);
	const fresh = unique.filter((r) => !homes.has(r));
	const conflicts = unique.flatMap((r) => (homes.has(r) && homes.get(r) !== m.region ? [{ route: r, home: homes.get(r)! }] : []));
	await transaction(gw.db, async (tx) => {
		await insertHomes(tx, fresh, m.region, now);
		await insertConflicts(
			tx,
			conflicts.map((c) => ({ route: c.route, home: c.home, claimedBy: m.region })),
			now
		);
	});
	return { registered: unique.length - conflicts.length, conflicts };
}

/** POST /api/v1/gateway/facts/pull: signed "pull" {"after": seq}; the region's queue after it, grouped by batch message. */
export async function pullFacts(
	gw: GatewayFactDeps,
	body: unknown
): Promise<{ batches: { message: string; facts: string[]; seqs: number[] }[]; next: number; more: boolean }> {
	const m = await openRequest(gw, body, 'pull');
	const after = (m.body as { after?: unknown } | null)?.after;
	if (typeof after !== 'number' || !Number.isSafeInteger(after) || after < 0)
		throw new DomainError('federation/refused', { detail: 'expected {"after": seq}' });
	const rows = await queueAfter(gw.db, m.region, after, MAX_PULL);
	const byBatch = new Map<string, { message: string; facts: string[]; seqs: number[] }>();
	for (const r of rows) {
		let b = byBatch.get(r.batch_key);
		if (!b) byBatch.set(r.batch_key, (b = { message: r.message, facts: [], seqs: [] }));
		b.facts.push(r.fact_text);
		b.seqs.push(r.seq);
	}
	return { batches: [...byBatch.values()], next: rows.at(-1)?.seq ?? after, more: rows.length === MAX_PULL };
}

/** POST /api/v1/gateway/facts/ack: signed "ack" {"through": seq}: the region applied its queue up to seq. */
export async function ackFacts(gw: GatewayFactDeps, body: unknown): Promise<{ acked: number; waiting: number }> {
	const m = await openRequest(gw, body, 'ack');
	const through = (m.body as { through?: unknown } | null)?.through;
	if (typeof through !== 'number' || !Number.isSafeInteger(through) || through < 0)
		throw new DomainError('federation/refused', { detail: 'expected {"through": seq}' });
	const acked = await ackQueue(gw.db, m.region, through, gw.clock());
	return { acked, waiting: await queueDepth(gw.db, m.region) };
}

/** POST /api/v1/gateway/facts/rejections: signed "rejections" {}: what the gateway refused from this region, and its conflicts. */
export async function rejectionsFor(gw: GatewayFactDeps, body: unknown) {
	const m = await openRequest(gw, body, 'rejections');
	const rejections = await rejectionsOf(gw.db, m.region, 500);
	const conflicts = await conflictsInvolving(gw.db, m.region, 500);
	return {
		rejections: rejections.map((r) => ({ batch: r.batch_id, factId: r.fact_id, code: r.code, field: r.field, at: r.at })),
		conflicts: conflicts.map((c) => ({ route: c.route_hash, home: c.home_region, claimedBy: c.claimed_by, at: c.at }))
	};
}
