/**
 * The colour of one person: evaluate(rules, person, index, now). Pure: time is a parameter, the world comes
 * in as a prebuilt index (./spatial-index.ts, once per run). Never throws on odd facts: unusable values
 * (non-finite times, unknown kinds, facts dated after `now`) are ignored, the same way every time.
 * It throws RangeError only for a programming error: an index built for another grid size or gap.
 *
 * Semantics (docs/rules.md has the table): each active rule finds its latest event within its look-back
 * window; the event keeps the rule's colour while now < event + holdDays, or while its negative-test
 * requirement is not met by tests sampled at or after the event. Confirmed cases stay red until released;
 * quarantine orders are red while in force. Red beats yellow beats green.
 */
import { COLOUR_REASONS, type ColourReason, type KnownColourReason } from '../colour-reasons.js';
import type { Colour } from '../claims.js';
import type { PersonFacts } from './facts.js';
import { matchCompanions } from './match-companions.js';
import { matchRiskAreas } from './match-risk-areas.js';
import { matchVenueVisits } from './match-venues.js';
import { negativeTestChain } from './negative-tests.js';
import type { EventRule, RuleSet } from './rules-schema.js';
import { indexFits, type WorldIndex } from './spatial-index.js';
import { segments, type Segment } from './trajectory.js';
import { DAY_S, listOf, windowStart } from './window.js';

/** One machine-readable step back to green; `reason` says which reason it clears. */
export type PathStep =
	| {
			readonly reason: ColourReason;
			readonly kind: 'negative-tests';
			readonly count: number;
			readonly apartHours: number;
			readonly withinDays: number;
			/** tests must be sampled at or after this time (the event) */
			readonly after: number;
			/** how many of `count` are already done */
			readonly done: number;
	  }
	| { readonly reason: ColourReason; readonly kind: 'wait-until'; readonly until: number }
	| { readonly reason: ColourReason; readonly kind: 'quarantine-ends'; readonly until: number }
	/** released by the health authority (discharge); `until` when a release date is already known */
	| { readonly reason: ColourReason; readonly kind: 'release'; readonly until?: number };

/**
 * What a reason rests on: the latest event the rule counted (Unix seconds: the exposure, the last moment in a risk
 * area, the test's sample time, the declaration, the case's confirmation, the order's start) and the ids of the
 * facts behind it (the person's and the world's: a risk area id, a venue visit id). The resident app shows the
 * date and the place; the ids never leave the server as such (issuer/explanation.ts turns them into names).
 */
export interface ReasonEvent {
	readonly reason: ColourReason;
	readonly at: number;
	readonly facts: readonly string[];
	/** where it happened, when a rule knows a place: the risk area or the venue (ids; names are the server's) */
	readonly place?: { readonly kind: 'risk-area' | 'venue' | 'point'; readonly id: string };
	/**
	 * When the reason ends by itself if nothing new happens: the hold's end when the tests are done (or none are
	 * required), else when the event ages out of its look-back (whichever is later); an order's end; a known
	 * release date. null: never by itself (an undated release, a rule with no look-back and tests missing).
	 */
	readonly endsAt: number | null;
}

export interface Evaluation {
	readonly colour: Colour;
	/** Most severe first (red reasons, then yellow; registry order within a colour), no duplicates. */
	readonly reasons: ColourReason[];
	/** Every step still relevant to each reason; empty when green. */
	readonly pathToGreen: PathStep[];
	/** One event per reason, in the order of `reasons`. */
	readonly events: ReasonEvent[];
	/** Ids of the facts (person and world) the decision used, sorted, for the audit entry. */
	readonly factsUsed: string[];
	readonly ruleVersion: string;
	/** Earliest later time at which the same facts may give another result (hold or order ends, an event ages out); null: none. */
	readonly reviewAt: number | null;
}

const SEVERITY: Record<Colour, number> = { green: 0, yellow: 1, red: 2 };

class Acc {
	readonly reasons = new Map<KnownColourReason, 'red' | 'yellow'>();
	readonly steps: PathStep[] = [];
	readonly events = new Map<KnownColourReason, ReasonEvent>();
	readonly facts = new Set<string>();
	reviewAt = Infinity;
	constructor(readonly now: number) {}
	review(t: number): void {
		if (t > this.now && t < this.reviewAt) this.reviewAt = t;
	}
	addFacts(ids: Iterable<string>): void {
		for (const id of ids) if (typeof id === 'string') this.facts.add(id);
	}
}

interface Tests {
	times: number[];
	ids: string[];
}

/** An event-triggered rule: the latest event `at` (≤ now); facts behind it. */
function eventEpisode(
	acc: Acc,
	reason: KnownColourReason,
	rule: EventRule,
	at: number,
	factIds: Iterable<string>,
	neg: Tests,
	place?: ReasonEvent['place']
): void {
	const now = acc.now;
	if (!Number.isFinite(at) || at > now || at < windowStart(now, rule.lookbackDays)) return;
	// sorted and unique: the same facts in any order give the same event
	const ids = [...new Set([...factIds].filter((id) => typeof id === 'string'))].sort();
	acc.addFacts(ids);
	const holdUntil = at + rule.holdDays * DAY_S;
	const held = now < holdUntil;
	const steps: PathStep[] = [];
	if (rule.holdDays > 0) steps.push({ reason, kind: 'wait-until', until: holdUntil });
	let met = true;
	if (rule.tests) {
		const chain = negativeTestChain(neg.times, neg.ids, rule.tests, at, now);
		acc.addFacts(chain.ids);
		met = chain.done >= rule.tests.count;
		steps.push({ reason, kind: 'negative-tests', ...rule.tests, after: at, done: chain.done });
	}
	if (!held && met) return;
	acc.reasons.set(reason, rule.colour);
	// tests missing: the event keeps the colour until it ages out (one second after at + L, as reviewAt below)
	const endsAt = met ? holdUntil : rule.lookbackDays === null ? null : Math.max(holdUntil, at + rule.lookbackDays * DAY_S + 1);
	acc.events.set(reason, place ? { reason, at, facts: ids, place, endsAt } : { reason, at, facts: ids, endsAt });
	acc.steps.push(...steps);
	if (held) acc.review(holdUntil);
	// aging out: inside while at ≥ now − L, so it changes one second after at + L (times are whole seconds)
	if (rule.lookbackDays !== null) acc.review(at + rule.lookbackDays * DAY_S + 1);
}

/** Latest finite time ≤ now among items, with the ids of the items inside the window. */
function latest<T>(items: readonly T[], time: (x: T) => number, id: (x: T) => string, lo: number, now: number) {
	let at = -Infinity;
	const ids: string[] = [];
	for (const x of items) {
		const t = time(x);
		if (!Number.isFinite(t) || t > now || t < lo) continue;
		ids.push(id(x));
		if (t > at) at = t;
	}
	return { at, ids };
}

const arr = listOf;
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function caseRule(acc: Acc, rules: RuleSet, person: PersonFacts): void {
	const rule = rules.rules['confirmed-case'];
	if (!rule.active) return;
	const now = acc.now;
	// one step for all open cases: the latest known release, or an unknown one
	let open = false,
		unknown = false,
		until = -Infinity,
		confirmed = -Infinity;
	const ids: string[] = [];
	for (const c of arr(person.cases)) {
		if (!isObj(c) || !Number.isFinite(c.confirmedAt) || c.confirmedAt > now) continue;
		const rel = c.releasedAt;
		const knownRelease = rel !== undefined && Number.isFinite(rel) && rel >= c.confirmedAt;
		acc.addFacts([c.id]);
		if (knownRelease && rel <= now) continue;
		open = true;
		ids.push(c.id);
		confirmed = Math.max(confirmed, c.confirmedAt);
		if (knownRelease) until = Math.max(until, rel);
		else unknown = true;
	}
	if (!open) return;
	acc.reasons.set('confirmed-case', rule.colour);
	acc.events.set('confirmed-case', {
		reason: 'confirmed-case',
		at: confirmed,
		facts: [...new Set(ids)].sort(),
		endsAt: unknown ? null : until
	});
	if (unknown) acc.steps.push({ reason: 'confirmed-case', kind: 'release' });
	else {
		acc.steps.push({ reason: 'confirmed-case', kind: 'release', until });
		acc.review(until);
	}
}

function quarantineRule(acc: Acc, rules: RuleSet, person: PersonFacts): void {
	const rule = rules.rules['quarantine-order'];
	if (!rule.active) return;
	const now = acc.now;
	const orders = arr(person.quarantine).filter((q) => isObj(q) && Number.isFinite(q.from) && Number.isFinite(q.until) && q.from < q.until);
	let end = -Infinity,
		start = Infinity;
	const ids: string[] = [];
	for (const q of orders) {
		if (q.from <= now && now < q.until) {
			acc.addFacts([q.id]);
			ids.push(q.id);
			if (q.from < start) start = q.from;
			if (q.until > end) end = q.until;
		} else if (q.from > now) acc.review(q.from);
	}
	if (end === -Infinity) return;
	// back-to-back orders: the quarantine ends when the last adjoining order ends
	for (let grew = true; grew;) {
		grew = false;
		for (const q of orders) {
			if (q.from <= end && q.until > end) {
				end = q.until;
				acc.addFacts([q.id]);
				grew = true;
			}
		}
	}
	acc.reasons.set('quarantine-order', rule.colour);
	acc.events.set('quarantine-order', { reason: 'quarantine-order', at: start, facts: [...new Set(ids)].sort(), endsAt: end });
	acc.steps.push({ reason: 'quarantine-order', kind: 'quarantine-ends', until: end });
	acc.review(end);
}

function declarationRules(acc: Acc, rules: RuleSet, person: PersonFacts, neg: Tests): void {
	const d = person.declaration;
	if (!isObj(d) || !Number.isFinite(d.at)) return;
	const symptoms = arr(d.symptoms);
	const fever = rules.rules['fever-declared'];
	const hot = Number.isFinite(d.temperatureC) && Math.round(d.temperatureC * 10) >= Math.round(fever.thresholdC * 10);
	if (fever.active && (hot || symptoms.includes('fever'))) eventEpisode(acc, 'fever-declared', fever, d.at, [d.id], neg);
	const other = rules.rules['symptoms-declared'];
	// fever is its own rule; 'none' is not a symptom
	if (other.active && symptoms.some((s) => typeof s === 'string' && s !== 'none' && s !== 'fever')) {
		eventEpisode(acc, 'symptoms-declared', other, d.at, [d.id], neg);
	}
}

function trajectoryRules(acc: Acc, rules: RuleSet, person: PersonFacts, index: WorldIndex, neg: Tests): void {
	const now = acc.now;
	const high = rules.rules['high-risk-area-stay'];
	const medium = rules.rules['medium-risk-area-stay'];
	const companion = rules.rules['spatiotemporal-companion'];
	const points = arr(person.trajectory);
	const visits = arr(person.visits);
	// the precise companion rule also reads guard scans (match-companions.ts): someone without a phone may match by them
	const scansOnly = points.length === 0 && companion.active && index.scanStayS > 0 && visits.length > 0;
	if ((points.length === 0 && !scansOnly) || !(high.active || medium.active || companion.active)) return;
	const segs: Segment[] = segments(points, index.maxGapS);
	if (points.length > 0 && (high.active || medium.active)) {
		const stays = matchRiskAreas(segs, index, rules, now);
		for (const [level, rule, reason] of [
			['high', high, 'high-risk-area-stay'],
			['medium', medium, 'medium-risk-area-stay']
		] as const) {
			if (!rule.active) continue;
			const hits = stays.filter((s) => s.level === level && s.dwellMinutes >= rule.minDwellMinutes);
			if (hits.length === 0) continue;
			const at = Math.max(...hits.map((s) => s.lastAt));
			// the area of the latest presence (lowest id on a tie: independent of the order of facts)
			const where = hits.filter((s) => s.lastAt === at).sort((a, b) => (a.areaId < b.areaId ? -1 : 1))[0]!;
			eventEpisode(
				acc,
				reason,
				rule,
				at,
				hits.flatMap((s) => [s.areaId, ...s.pointIds]),
				neg,
				{ kind: 'risk-area', id: where.areaId }
			);
		}
	}
	if (companion.active) {
		const hits = matchCompanions(segs, index, companion, person.ref, now, visits).filter((m) => m.qualifies);
		if (hits.length > 0) {
			const at = Math.max(...hits.map((m) => m.lastAt));
			// the person's own place at the latest co-presence (lowest case ref on a tie: independent of fact order):
			// a venue both were scanned into, or their point rounded to ~100 m with its accuracy — never the case's
			const where = hits.filter((m) => m.lastAt === at).sort((a, b) => (a.caseRef < b.caseRef ? -1 : 1))[0]!.lastWhere;
			eventEpisode(
				acc,
				'spatiotemporal-companion',
				companion,
				at,
				hits.flatMap((m) => [...m.pointIds, ...m.casePointIds]),
				neg,
				where === undefined
					? undefined
					: where.kind === 'venue'
						? where
						: { kind: 'point', id: `${where.lat.toFixed(3)},${where.lon.toFixed(3)},${Math.round(where.accuracyM)}` }
			);
		}
	}
}

const NOBODY: PersonFacts = { ref: '', tests: [], cases: [], quarantine: [], contacts: [], trajectory: [], visits: [] };

export function evaluate(rules: RuleSet, facts: PersonFacts, index: WorldIndex, now: number): Evaluation {
	if (!indexFits(index, rules))
		throw new RangeError('evaluate: the world index was built for another grid size, point gap or precise cell settings');
	const person = isObj(facts) ? facts : NOBODY;
	const acc = new Acc(now);
	const r = rules.rules;

	const neg: Tests = { times: [], ids: [] };
	const negatives: { t: number; id: string }[] = [];
	const positives: { sampledAt: number; id: string }[] = [];
	for (const t of arr(person.tests)) {
		if (!isObj(t) || !Number.isFinite(t.sampledAt) || t.sampledAt > now) continue;
		if (t.result === 'negative') negatives.push({ t: t.sampledAt, id: t.id });
		else if (t.result === 'positive') positives.push(t);
	}
	negatives.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	for (const x of negatives) {
		neg.times.push(x.t);
		neg.ids.push(x.id);
	}

	caseRule(acc, rules, person);
	if (r['positive-test'].active && positives.length > 0) {
		const p = latest(
			positives,
			(x) => x.sampledAt,
			(x) => x.id,
			windowStart(now, r['positive-test'].lookbackDays),
			now
		);
		eventEpisode(acc, 'positive-test', r['positive-test'], p.at, p.ids, neg);
	}
	quarantineRule(acc, rules, person);
	for (const [kind, reason] of [
		['close', 'close-contact'],
		['secondary', 'secondary-contact']
	] as const) {
		const rule = r[reason];
		if (!rule.active) continue;
		const list = arr(person.contacts).filter((c) => isObj(c) && c.kind === kind);
		if (list.length === 0) continue;
		const c = latest(
			list,
			(x) => x.exposedAt,
			(x) => x.id,
			windowStart(now, rule.lookbackDays),
			now
		);
		eventEpisode(acc, reason, rule, c.at, c.ids, neg);
	}
	trajectoryRules(acc, rules, person, index, neg);
	if (r['venue-co-visit'].active) {
		const hits = matchVenueVisits(arr(person.visits), index, r['venue-co-visit'], person.ref, now);
		if (hits.length > 0) {
			const at = Math.max(...hits.map((h) => h.at));
			const visitId = hits
				.filter((h) => h.at === at)
				.map((h) => h.visitId)
				.sort()[0];
			const venueId = arr(person.visits).find((x) => isObj(x) && x.id === visitId)?.venueId;
			eventEpisode(
				acc,
				'venue-co-visit',
				r['venue-co-visit'],
				at,
				hits.flatMap((h) => [h.visitId, h.caseVisitId]),
				neg,
				typeof venueId === 'string' ? { kind: 'venue', id: venueId } : undefined
			);
		}
	}
	declarationRules(acc, rules, person, neg);

	let colour: Colour = 'green';
	for (const c of acc.reasons.values()) if (SEVERITY[c] > SEVERITY[colour]) colour = c;
	const order = (x: KnownColourReason) => (acc.reasons.get(x) === 'red' ? 0 : 1000) + COLOUR_REASONS[x];
	const reasons = [...acc.reasons.keys()].sort((a, b) => order(a) - order(b));
	const rank = new Map(reasons.map((x, i) => [x, i]));
	const pathToGreen = acc.steps.sort((a, b) => rank.get(a.reason as KnownColourReason)! - rank.get(b.reason as KnownColourReason)!);
	return {
		colour,
		reasons,
		pathToGreen,
		events: reasons.map((x) => acc.events.get(x)!),
		factsUsed: [...acc.facts].sort(),
		ruleVersion: rules.version,
		reviewAt: acc.reviewAt === Infinity ? null : acc.reviewAt
	};
}
