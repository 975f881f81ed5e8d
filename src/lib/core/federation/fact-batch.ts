/**
 * A batch of facts as it travels (docs/federation.md §Facts):
 *
 *   { "message": base64url(COSE_Sign1 region message, type "fact-batch",
 *                          body {"batch": id, "digests": [base64url(SHA-256(fact text))…]}),
 *     "facts": [fact JSON text, …] }
 *
 * The signature covers the digests, not the facts, so the gateway can forward to each home region only its own
 * facts with the same signed message, and the receiver still checks every fact against the sender's signature
 * (a digest list reveals nothing about the other regions' facts: each fact's id is random). Each fact is kept as
 * the exact text the sender signed: no canonical JSON is needed.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64Url, toBase64Url, utf8 } from '../bytes.js';
import type { Ed25519Backend } from '../ed25519/ed25519.js';
import type { ExchangeKeys } from './exchange-keys.js';
import { checkFact, type FactCheck, type FederatedFact } from './fact.js';
import { openRegionMessage, signRegionMessage, type MessageProblem, type RegionSigner } from './region-message.js';

export interface FactBatchEnvelope {
	message: string;
	facts: string[];
}

/** Most facts in one batch (the sender's outbox sends in batches of at most this many). */
export const MAX_BATCH_FACTS = 1000;
const BATCH_ID_RE = /^[A-Za-z0-9_-]{8,64}$/;
/** A batch older than this is refused whole (its facts come again in a newer batch from the outbox). */
export const MAX_BATCH_AGE_SEC = 86_400;

export const factDigest = (text: string): string => toBase64Url(sha256(utf8(text)));

export async function signFactBatch(
	signer: RegionSigner,
	batchId: string,
	atSec: number,
	facts: readonly FederatedFact[]
): Promise<FactBatchEnvelope> {
	const texts = facts.map((f) => JSON.stringify(f));
	const message = await signRegionMessage(signer, 'fact-batch', atSec, { batch: batchId, digests: texts.map(factDigest) });
	return { message: toBase64Url(message), facts: texts };
}

export interface OpenedItem {
	/** position in the envelope's facts */
	index: number;
	text: string;
	check: FactCheck;
}

export interface OpenedBatch {
	region: string;
	batchId: string;
	at: number;
	digests: readonly string[];
	items: OpenedItem[];
}

export type BatchProblem = MessageProblem | 'batch/shape' | 'batch/too-many';

/**
 * Verifies the batch's signature (whole-batch failures: the envelope's shape, the signer, the signature, the
 * age) and then each fact on its own: in the signed digest list, JSON, and checkFact. A fact may appear in the
 * envelope in any order and any subset of the signed ones (the gateway forwards subsets).
 */
export async function openFactBatch(
	envelope: unknown,
	opts: { keys: ExchangeKeys; backend: Ed25519Backend; nowSec: number; maxAgeSec?: number }
): Promise<{ ok: true; batch: OpenedBatch } | { ok: false; code: BatchProblem }> {
	const e = envelope as Partial<FactBatchEnvelope> | null;
	if (typeof e !== 'object' || e === null || typeof e.message !== 'string' || !Array.isArray(e.facts))
		return { ok: false, code: 'batch/shape' };
	if (e.facts.length > MAX_BATCH_FACTS) return { ok: false, code: 'batch/too-many' };
	const bytes = fromBase64Url(e.message);
	if (!bytes) return { ok: false, code: 'message/format' };
	const opened = await openRegionMessage(bytes, {
		type: 'fact-batch',
		keys: opts.keys,
		backend: opts.backend,
		nowSec: opts.nowSec,
		maxAgeSec: opts.maxAgeSec ?? MAX_BATCH_AGE_SEC
	});
	if (!opened.ok) return opened;
	const body = opened.message.body as { batch?: unknown; digests?: unknown } | null;
	if (
		typeof body !== 'object' ||
		body === null ||
		typeof body.batch !== 'string' ||
		!BATCH_ID_RE.test(body.batch) ||
		!Array.isArray(body.digests) ||
		body.digests.length > MAX_BATCH_FACTS ||
		!body.digests.every((d) => typeof d === 'string')
	)
		return { ok: false, code: 'batch/shape' };
	const signed = new Set(body.digests);
	const seen = new Set<string>();
	const items: OpenedItem[] = e.facts.map((text, index) => {
		if (typeof text !== 'string' || !signed.has(factDigest(text)))
			return { index, text: String(text), check: { ok: false, code: 'fact/not-in-batch' } };
		let raw: unknown;
		try {
			raw = JSON.parse(text);
		} catch {
			return { index, text, check: { ok: false, code: 'fact/not-json' } };
		}
		const check = checkFact(raw, { sender: opened.message.region, nowSec: opts.nowSec });
		if (check.ok) {
			const key = `${check.fact.id}#${check.fact.rev}`;
			if (seen.has(key)) return { index, text, check: { ok: false, code: 'fact/duplicate' } };
			seen.add(key);
		}
		return { index, text, check };
	});
	return {
		ok: true,
		batch: { region: opened.message.region, batchId: body.batch, at: opened.message.at, digests: body.digests, items }
	};
}
