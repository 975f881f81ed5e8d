/**
 * A fact that crosses a regional border (issue 14, docs/federation.md §Facts): what region A recorded about a
 * person whose home issuer is elsewhere, addressed by the person's routing hash (./routing-hash.ts), never an ID
 * number. Facts travel as JSON text inside a signed batch (./fact-batch.ts); this file is the per-item check that
 * the gateway and the receiving region both run, with one stable reason code per failure.
 *
 * Times are Unix seconds (like src/lib/core/rules/facts.ts). `id` is globally unique: the sender's region code, a
 * colon, the sender's own id. `rev` counts the sender's corrections of the same fact (a case later released): a
 * receiver keeps the highest revision it has seen, so a replayed or reordered older revision changes nothing.
 */
import { ROUTING_HASH_RE } from './routing-hash.js';

export const FACT_KINDS = ['test-result', 'confirmed-case', 'quarantine-order', 'close-contact', 'venue-co-visit'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** Clock skew tolerated between regions (issue 14: ±10 min). */
export const MAX_CLOCK_SKEW_SEC = 600;

/** GB/T 2260 region code of a regional issuer (six digits). */
export const FED_REGION_RE = /^\d{6}$/;
const LOCAL_ID_RE = /^[A-Za-z0-9_.~-]{1,64}$/;
const VENUE_RE = /^[A-Za-z0-9_.~-]{1,64}$/;

interface FactBase {
	/** `${region}:${localId}` */
	readonly id: string;
	readonly rev: number;
	/** the recording region (must be the batch's signer) */
	readonly region: string;
	/** the person's routing hash */
	readonly subject: string;
	/** when the sender recorded it */
	readonly recordedAt: number;
}

export type FederatedFact =
	| (FactBase & { readonly kind: 'test-result'; readonly sampledAt: number; readonly result: 'negative' | 'positive' })
	| (FactBase & {
			readonly kind: 'confirmed-case';
			readonly confirmedAt: number;
			readonly releasedAt?: number;
			readonly onsetAt?: number;
			readonly isolatedAt?: number;
	  })
	| (FactBase & { readonly kind: 'quarantine-order'; readonly from: number; readonly until: number })
	| (FactBase & {
			readonly kind: 'close-contact';
			readonly contactKind: 'close' | 'secondary';
			readonly exposedAt: number;
			/** the routing hash of the case (or close contact) the exposure was to, when known */
			readonly of?: string;
	  })
	| (FactBase & {
			readonly kind: 'venue-co-visit';
			/** the sender's venue id and name (the resident sees the name and the region) */
			readonly venue: string;
			readonly venueName: string;
			/** the person's visit */
			readonly at: number;
	  });

/** Why one fact was refused (per item, kept for the sender's operators; docs/federation.md §Facts lists them). */
export const FACT_REJECTIONS = [
	'fact/not-json',
	'fact/shape',
	'fact/id',
	'fact/region',
	'fact/kind',
	'fact/subject',
	'fact/field',
	'fact/time',
	'fact/future',
	'fact/order',
	'fact/value',
	'fact/duplicate',
	'fact/unroutable',
	'fact/unknown-person',
	'fact/not-in-batch'
] as const;
export type FactRejection = (typeof FACT_REJECTIONS)[number];

export type FactCheck = { ok: true; fact: FederatedFact } | { ok: false; code: FactRejection; field?: string };

const FIELDS: Readonly<Record<FactKind, { required: readonly string[]; optional: readonly string[] }>> = {
	'test-result': { required: ['sampledAt', 'result'], optional: [] },
	'confirmed-case': { required: ['confirmedAt'], optional: ['releasedAt', 'onsetAt', 'isolatedAt'] },
	'quarantine-order': { required: ['from', 'until'], optional: [] },
	'close-contact': { required: ['contactKind', 'exposedAt'], optional: ['of'] },
	'venue-co-visit': { required: ['venue', 'venueName', 'at'], optional: [] }
};
const BASE = ['id', 'rev', 'region', 'kind', 'subject', 'recordedAt'];
/** times that may lie ahead (an order's end); every other time must not be later than now + skew */
const FUTURE_OK = new Set(['until']);

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/**
 * Checks one fact as parsed from its JSON text. `sender`: the region whose exchange key signed the batch (a fact
 * of another region is refused: no region speaks for another). `nowSec`: the checker's clock.
 */
export function checkFact(raw: unknown, ctx: { sender: string; nowSec: number }): FactCheck {
	const bad = (code: FactRejection, field?: string): FactCheck => (field === undefined ? { ok: false, code } : { ok: false, code, field });
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('fact/shape');
	const o = raw as Record<string, unknown>;
	if (typeof o.region !== 'string' || !FED_REGION_RE.test(o.region)) return bad('fact/region', 'region');
	if (o.region !== ctx.sender) return bad('fact/region', 'region');
	if (typeof o.id !== 'string') return bad('fact/id', 'id');
	const colon = o.id.indexOf(':');
	if (colon < 0 || o.id.slice(0, colon) !== o.region || !LOCAL_ID_RE.test(o.id.slice(colon + 1))) return bad('fact/id', 'id');
	if (typeof o.rev !== 'number' || !Number.isSafeInteger(o.rev) || o.rev < 0) return bad('fact/field', 'rev');
	if (typeof o.kind !== 'string' || !(FACT_KINDS as readonly string[]).includes(o.kind)) return bad('fact/kind', 'kind');
	const kind = o.kind as FactKind;
	if (typeof o.subject !== 'string' || !ROUTING_HASH_RE.test(o.subject)) return bad('fact/subject', 'subject');
	const spec = FIELDS[kind];
	for (const k of Object.keys(o))
		if (!BASE.includes(k) && !spec.required.includes(k) && !spec.optional.includes(k)) return bad('fact/field', k);
	for (const k of spec.required) if (o[k] === undefined || o[k] === null) return bad('fact/field', k);
	const latest = ctx.nowSec + MAX_CLOCK_SKEW_SEC;
	for (const k of ['recordedAt', ...spec.required, ...spec.optional]) {
		if (!['recordedAt', 'sampledAt', 'confirmedAt', 'releasedAt', 'onsetAt', 'isolatedAt', 'from', 'until', 'exposedAt', 'at'].includes(k))
			continue;
		const v = o[k];
		if (v === undefined) continue;
		if (!isTime(v)) return bad('fact/time', k);
		if (!FUTURE_OK.has(k) && v > latest) return bad('fact/future', k);
	}
	switch (kind) {
		case 'test-result':
			if (o.result !== 'negative' && o.result !== 'positive') return bad('fact/value', 'result');
			break;
		case 'confirmed-case':
			if (typeof o.releasedAt === 'number' && o.releasedAt < (o.confirmedAt as number)) return bad('fact/order', 'releasedAt');
			break;
		case 'quarantine-order':
			if ((o.until as number) <= (o.from as number)) return bad('fact/order', 'until');
			break;
		case 'close-contact':
			if (o.contactKind !== 'close' && o.contactKind !== 'secondary') return bad('fact/value', 'contactKind');
			if (o.of !== undefined && (typeof o.of !== 'string' || !ROUTING_HASH_RE.test(o.of))) return bad('fact/subject', 'of');
			if (o.of === o.subject) return bad('fact/value', 'of');
			break;
		case 'venue-co-visit':
			if (typeof o.venue !== 'string' || !VENUE_RE.test(o.venue)) return bad('fact/value', 'venue');
			if (typeof o.venueName !== 'string' || !o.venueName.trim() || o.venueName.length > 100) return bad('fact/value', 'venueName');
			break;
	}
	return { ok: true, fact: o as unknown as FederatedFact };
}

/**
 * The regions that recorded these facts, from the ids the rules report (`test:440300:…`, `visit:440300:…`: a
 * received fact keeps its global id); a region's own facts have no region in their id. Sorted, no duplicates.
 */
export function sourceRegionsOf(ruleFactIds: readonly string[]): string[] {
	const out = new Set<string>();
	for (const id of ruleFactIds) {
		const m = /^[a-z]+:(\d{6}):/.exec(id);
		if (m?.[1]) out.add(m[1]);
	}
	return [...out].sort();
}
