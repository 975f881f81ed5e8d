/**
 * The receiver (docs/federation.md §Facts): pulls this region's queue from the gateway after its cursor, checks
 * every batch against the SENDER's exchange key (the gateway cannot forge or alter a fact: the sender signed each
 * fact's digest), applies each fact once into the fact tables with its source region, and recolours whoever the
 * facts affect through the normal path (recolour.ts: new code, old one revoked; reasons with the source region in
 * the explanation). Exactly once: the inbox keeps the highest revision applied per fact id, and the cursor moves
 * in the same transaction as the facts it covers — a replayed, reordered or re-pulled batch changes nothing.
 * Clock skew between regions: checkFact allows times up to MAX_CLOCK_SKEW_SEC ahead of this region's clock.
 */
import { toBase64Url } from '../../core/bytes.js';
import { openFactBatch } from '../../core/federation/fact-batch.js';
import type { FactRejection, FederatedFact } from '../../core/federation/fact.js';
import { signRegionMessage } from '../../core/federation/region-message.js';
import { transaction, type StoreTx } from '../store/db.js';
import {
	inboxEntry,
	metaValue,
	putInbox,
	putReceivedCase,
	putReceivedContact,
	putReceivedQuarantine,
	putReceivedTest,
	putReceivedVisit,
	refsOfRoutes,
	setMetaValue
} from '../store/federation-facts.js';
import type { Affected } from '../store/risk-areas.js';
import { affectedResidents } from '../recolour/affected.js';
import { invalidateEngine } from '../recolour/engine.js';
import { recolour } from '../recolour/recolour.js';
import type { RegionFed } from './region-fed.js';

export const PULL_CURSOR_KEY = 'federation:pull-cursor';
/** Since when (Unix ms) the queue has been held for a batch from a region this region holds no exchange key for. */
export const PULL_HELD_SINCE_KEY = 'federation:pull-held-since';
/**
 * How long the queue waits for the certificate of a batch's signer to arrive here. A region just onboarded signs
 * facts before every other region has mirrored its certificate (the mirror runs every minute): refusing its batch at
 * once would lose those facts. After this long the signer is taken to be really unknown (or revoked) and the batch
 * is refused as before.
 */
export const UNKNOWN_SIGNER_HOLD_MS = 10 * 60_000;

export interface PullOutcome {
	applied: number;
	/** already applied (same or newer revision): replays, re-pulls */
	duplicates: number;
	rejected: { factId: string | null; code: string }[];
	/** batches whose signature or shape failed: none of their facts applied */
	batchesRefused: number;
	recoloured: number;
	changed: number;
	/** the queue waits for a batch signer's certificate (UNKNOWN_SIGNER_HOLD_MS): nothing of that page applied yet */
	held: boolean;
}

const ms = (s: number) => s * 1000;

/** Pulls and applies everything queued for this region (until the gateway says there is no more). */
export async function pullAndApply(fed: RegionFed, maxRounds = 20): Promise<PullOutcome> {
	const { db } = fed.deps;
	const out: PullOutcome = { applied: 0, duplicates: 0, rejected: [], batchesRefused: 0, recoloured: 0, changed: 0, held: false };
	const bySource = new Map<string, Affected>();
	for (let round = 0; round < maxRounds; round++) {
		const cursor = Number((await metaValue(db, PULL_CURSOR_KEY)) ?? 0);
		const now = fed.deps.clock();
		const pull = await signRegionMessage(fed.signer, 'pull', Math.floor(now / 1000), { after: cursor });
		const page = await fed.transport.pull(toBase64Url(pull));
		if (page.next === cursor) break;
		const opened: { b: (typeof page.batches)[number]; r: Awaited<ReturnType<typeof openFactBatch>> }[] = [];
		for (const b of page.batches)
			opened.push({
				b,
				r: await openFactBatch(
					{ message: b.message, facts: b.facts },
					{ keys: fed.keys, backend: fed.backend, nowSec: Math.floor(now / 1000), maxAgeSec: Number.MAX_SAFE_INTEGER }
				)
			});
		// a batch signed by a region whose certificate has not reached this region yet: wait for the mirror (the whole
		// page stays queued at the gateway; applying is idempotent), up to UNKNOWN_SIGNER_HOLD_MS
		if (opened.some(({ r }) => !r.ok && r.code === 'message/unknown-region')) {
			const since = Number((await metaValue(db, PULL_HELD_SINCE_KEY)) ?? 0);
			if (!since) await setMetaValue(db, PULL_HELD_SINCE_KEY, String(now));
			if (!since || now - since < UNKNOWN_SIGNER_HOLD_MS) {
				out.held = true;
				break;
			}
		}
		await transaction(db, async (tx) => {
			await setMetaValue(tx, PULL_HELD_SINCE_KEY, '0');
			for (const { b, r } of opened) {
				if (!r.ok) {
					out.batchesRefused++;
					for (const text of b.facts) out.rejected.push({ factId: idOf(text), code: r.code });
					continue;
				}
				for (const item of r.batch.items) {
					if (!item.check.ok) {
						out.rejected.push({ factId: idOf(item.text), code: item.check.code });
						continue;
					}
					const result = await applyFact(tx, item.check.fact, r.batch.batchId, now);
					if (result === 'duplicate') out.duplicates++;
					else if (result.ok) {
						out.applied++;
						let a = bySource.get(item.check.fact.region);
						if (!a) bySource.set(item.check.fact.region, (a = { refs: new Set(), phones: new Set(), caseRefs: new Set(), riskAreas: [] }));
						a.refs.add(result.ref);
						if (item.check.fact.kind === 'confirmed-case') a.caseRefs.add(result.ref);
					} else out.rejected.push({ factId: item.check.fact.id, code: result.code });
				}
			}
			await setMetaValue(tx, PULL_CURSOR_KEY, String(page.next));
		});
		const ack = await signRegionMessage(fed.signer, 'ack', Math.floor(fed.deps.clock() / 1000), { through: page.next });
		await fed.transport.ack(toBase64Url(ack));
		if (!page.more) break;
	}
	if (bySource.size) invalidateEngine();
	for (const [region, affected] of bySource) {
		const refs = await affectedResidents(db, affected, fed.deps.clock());
		const r = await recolour(fed.deps, refs, { actor: `federation:${region}` });
		out.recoloured += r.evaluated;
		out.changed += r.changed;
	}
	return out;
}

function idOf(text: string): string | null {
	try {
		const id = (JSON.parse(text) as { id?: unknown } | null)?.id;
		return typeof id === 'string' && id.length <= 80 ? id : null;
	} catch {
		return null;
	}
}

/** One fact into this region's tables, once: the inbox says whether this revision (or a newer one) was applied. */
async function applyFact(
	tx: StoreTx,
	f: FederatedFact,
	batchId: string,
	nowMs: number
): Promise<'duplicate' | { ok: true; ref: string } | { ok: false; code: FactRejection }> {
	const seen = await inboxEntry(tx, f.id);
	if (seen && seen.rev >= f.rev) return 'duplicate';
	const entry = {
		fact_id: f.id,
		rev: f.rev,
		source_region: f.region,
		kind: f.kind,
		subject: f.subject,
		batch_id: batchId,
		received_at: nowMs
	};
	const ref = (await refsOfRoutes(tx, [f.subject])).get(f.subject);
	if (!ref) {
		await putInbox(tx, { ...entry, outcome: 'rejected', reject_code: 'fact/unknown-person' });
		return { ok: false, code: 'fact/unknown-person' };
	}
	const row = { id: f.id, ref, region: f.region };
	switch (f.kind) {
		case 'test-result':
			await putReceivedTest(tx, { ...row, sampledAt: ms(f.sampledAt), result: f.result }, nowMs);
			break;
		case 'confirmed-case':
			await putReceivedCase(
				tx,
				{
					...row,
					confirmedAt: ms(f.confirmedAt),
					releasedAt: f.releasedAt === undefined ? null : ms(f.releasedAt),
					onsetAt: f.onsetAt === undefined ? null : ms(f.onsetAt),
					isolatedAt: f.isolatedAt === undefined ? null : ms(f.isolatedAt)
				},
				nowMs
			);
			break;
		case 'quarantine-order':
			await putReceivedQuarantine(tx, { ...row, from: ms(f.from), until: ms(f.until) }, nowMs);
			break;
		case 'close-contact': {
			// the case's local ref when it is our resident too; otherwise its routing hash, marked as such
			const toRef = f.of === undefined ? `${f.region}:unknown` : ((await refsOfRoutes(tx, [f.of])).get(f.of) ?? `route:${f.of}`);
			await putReceivedContact(tx, { ...row, kind: f.contactKind, toRef, exposedAt: ms(f.exposedAt) }, nowMs);
			break;
		}
		case 'venue-co-visit':
			// the sender's tracing matched the visit against its case: the rules count it as a co-visit (coVisitFound)
			await putReceivedVisit(tx, { ...row, venueId: `${f.region}:${f.venue}`, at: ms(f.at) });
			break;
	}
	await putInbox(tx, { ...entry, outcome: 'applied', reject_code: null });
	return { ok: true, ref };
}
