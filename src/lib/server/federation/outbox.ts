/**
 * The sender's outbox (docs/federation.md §Facts). Facts a data source delivers to this region (push API, file
 * import) about a person who is not this region's resident are queued here in the same transaction that stores
 * them (queueForFederation), so a fact is never stored without being queued. deliverOutbox() sends what is due
 * in batches signed with the exchange key:
 * - idempotent by (fact id, rev): the gateway and the receiver store each once, so a retry after a lost answer
 *   (the gateway accepted, the answer never came) delivers exactly once;
 * - retried with exponential backoff and jitter while the gateway (or its answer) is missing;
 * - ordered per person: a person's later fact is not sent before an earlier one still waiting for its retry;
 * - rejected facts stay with their reason (state 'rejected') for the operators (`tongxing federation outbox`).
 */
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../core/bytes.js';
import { MAX_BATCH_FACTS, signFactBatch } from '../../core/federation/fact-batch.js';
import type { FederatedFact } from '../../core/federation/fact.js';
import type { StoreTx } from '../store/db.js';
import {
	insertOutbox,
	latestOutboxRevs,
	markOutboxRejected,
	markOutboxRetry,
	markOutboxSent,
	pendingOutbox,
	residentRoutesAmong,
	upsertResidentRoutes
} from '../store/federation-facts.js';
import { upsertKnownRoutes } from '../store/federation-tracing.js';
import type { RegionFed } from './region-fed.js';
import { GatewayRefused } from './transport.js';

export const RETRY_BASE_MS = 5_000;
export const RETRY_CAP_MS = 10 * 60_000;

/** The delay before attempt `attempts + 1`: exponential, capped, with "equal jitter" (half fixed, half random). */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
	const d = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(attempts, 20));
	return Math.round(d / 2 + random() * (d / 2));
}

const sec = (ms: number) => Math.floor(ms / 1000);

/** A stored record as the data sources deliver it (sources/kinds.ts), with the routing hash its reader computed. */
interface RoutedRecord {
	id?: string;
	ref: string;
	route?: string;
	[k: string]: unknown;
}

/** The facts to send for one kind's records; null for kinds that do not cross borders. */
function toFacts(region: string, kind: string, rows: readonly RoutedRecord[], nowMs: number): Omit<FederatedFact, 'rev'>[] | null {
	const base = (r: RoutedRecord) => ({ id: `${region}:${r.id}`, region, subject: r.route!, recordedAt: sec(nowMs) });
	const withRoute = rows.filter((r) => typeof r.route === 'string' && typeof r.id === 'string');
	switch (kind) {
		case 'tests':
			return withRoute.map((r) => ({
				...base(r),
				kind: 'test-result',
				sampledAt: sec(r.sampledAt as number),
				result: r.result as 'negative' | 'positive'
			}));
		case 'cases':
			return withRoute.map((r) => ({
				...base(r),
				kind: 'confirmed-case',
				confirmedAt: sec(r.confirmedAt as number),
				...(r.releasedAt == null ? {} : { releasedAt: sec(r.releasedAt as number) }),
				...(r.onsetAt == null ? {} : { onsetAt: sec(r.onsetAt as number) }),
				...(r.isolatedAt == null ? {} : { isolatedAt: sec(r.isolatedAt as number) })
			}));
		case 'quarantine':
			return withRoute.map((r) => ({ ...base(r), kind: 'quarantine-order', from: sec(r.from as number), until: sec(r.until as number) }));
		case 'relations':
			return withRoute.map((r) => ({
				...base(r),
				kind: 'close-contact',
				contactKind: r.kind as 'close' | 'secondary',
				exposedAt: sec(r.exposedAt as number),
				...(typeof r.toRoute === 'string' ? { of: r.toRoute } : {})
			}));
		default:
			return null;
	}
}

/**
 * Called by the data sources inside the transaction that stores `rows` of `kind` (sources/push.ts, import.ts).
 * `register` rows name this region's residents (their routing hashes are registered with the gateway); the
 * facts about anyone else are queued. Rows without a routing hash (no national key: not federated) are ignored.
 */
export async function queueForFederation(
	tx: StoreTx,
	region: string,
	kind: string,
	rows: readonly unknown[],
	nowMs: number
): Promise<number> {
	const recs = rows as readonly RoutedRecord[];
	// who is who by routing hash, for the contacts this region's tracing finds (federation/tracing.ts)
	await upsertKnownRoutes(tx, [
		...recs.filter((r) => typeof r.route === 'string').map((r) => ({ ref: r.ref, route: r.route! })),
		...recs
			.filter((r) => typeof r.toRoute === 'string' && typeof r.toRef === 'string')
			.map((r) => ({ ref: r.toRef as string, route: r.toRoute as string }))
	]);
	if (kind === 'register') {
		await upsertResidentRoutes(
			tx,
			recs.filter((r) => typeof r.route === 'string').map((r) => ({ route: r.route!, ref: r.ref })),
			nowMs
		);
		return 0;
	}
	const facts = toFacts(region, kind, recs, nowMs);
	if (!facts?.length) return 0;
	return queueFacts(tx, region, facts, nowMs);
}

/** Queues facts about non-residents (a fact about a resident stays here); a fact whose content did not change is not sent again. */
export async function queueFacts(
	tx: StoreTx,
	region: string,
	facts: readonly Omit<FederatedFact, 'rev'>[],
	nowMs: number
): Promise<number> {
	void region;
	const residents = await residentRoutesAmong(tx, [...new Set(facts.map((f) => f.subject))]);
	const away = facts.filter((f) => !residents.has(f.subject));
	if (!away.length) return 0;
	const latest = await latestOutboxRevs(
		tx,
		away.map((f) => f.id)
	);
	const rows: Parameters<typeof insertOutbox>[1][number][] = [];
	for (const f of away) {
		const prev = latest.get(f.id);
		if (prev && sameContent(prev.fact_json, f)) continue;
		const fact = { ...f, rev: prev ? prev.rev + 1 : 0 } as FederatedFact;
		latest.set(f.id, { rev: fact.rev, fact_json: JSON.stringify(fact) });
		rows.push({ factId: f.id, rev: fact.rev, subject: f.subject, kind: f.kind, factJson: JSON.stringify(fact) });
	}
	await insertOutbox(tx, rows, nowMs);
	return rows.length;
}

function sameContent(storedJson: string, f: Omit<FederatedFact, 'rev'>): boolean {
	const strip = (x: Record<string, unknown>) =>
		JSON.stringify(
			Object.entries(x)
				.filter(([k]) => k !== 'rev' && k !== 'recordedAt')
				.sort(([a], [b]) => (a < b ? -1 : 1))
		);
	return strip(JSON.parse(storedJson) as Record<string, unknown>) === strip(f);
}

export interface DeliveryResult {
	sent: number;
	rejected: number;
	/** facts whose batch failed and wait for their retry */
	retrying: number;
	batches: number;
	error?: string;
}

/** Sends every due fact (at most `maxBatches` batches per call). */
export async function deliverOutbox(fed: RegionFed, maxBatches = 20): Promise<DeliveryResult> {
	const db = fed.deps.db;
	const out: DeliveryResult = { sent: 0, rejected: 0, retrying: 0, batches: 0 };
	for (let n = 0; n < maxBatches; n++) {
		const now = fed.deps.clock();
		const pending = await pendingOutbox(db, MAX_BATCH_FACTS * 5);
		const waiting = new Set<string>();
		const due: typeof pending = [];
		for (const row of pending) {
			if (waiting.has(row.subject)) continue;
			// this person's earlier fact waits for its retry: later ones wait with it (order per person)
			if (row.next_attempt_at > now) {
				waiting.add(row.subject);
				continue;
			}
			due.push(row);
			if (due.length === MAX_BATCH_FACTS) break;
		}
		if (!due.length) break;
		const envelope = await signFactBatch(
			fed.signer,
			toBase64Url(randomBytes(12)),
			sec(now),
			due.map((r) => JSON.parse(r.fact_json) as FederatedFact)
		);
		out.batches++;
		let answer;
		try {
			answer = await fed.transport.submitFacts(envelope);
		} catch (e) {
			const attempts = Math.max(...due.map((r) => r.attempts));
			const error = e instanceof GatewayRefused ? `refused: ${e.message}` : `unavailable: ${e instanceof Error ? e.message : 'error'}`;
			await markOutboxRetry(
				db,
				due.map((r) => r.seq),
				now + retryDelayMs(attempts, fed.random),
				error.slice(0, 300)
			);
			out.retrying += due.length;
			out.error = error;
			break;
		}
		const accepted: number[] = [];
		for (const r of answer.results) {
			const row = due[r.index];
			if (!row) continue;
			if (r.status === 'accepted') accepted.push(row.seq);
			else {
				await markOutboxRejected(db, row.seq, r.code ?? 'fact/shape', r.field ?? null, now);
				out.rejected++;
			}
		}
		await markOutboxSent(db, accepted, now);
		out.sent += accepted.length;
	}
	return out;
}
