/**
 * The screen of a case import's candidates (issue 17, "Fast case imports"). The index range scans of affected.ts
 * find everyone whose points or scans came within the rule's reach of a new case — at 100 000 residents and 10
 * cases, 63 % of the city, of whom a quarter change colour: most shared a cell with a case for a while, and only
 * their other points show that it was less than the rule's dwell. Loading all their facts (15 days of points) to
 * find that out cost as much as re-evaluating everyone.
 *
 * So before the full evaluation each candidate is matched against the NEW cases alone, with only a slice of their
 * trajectory — around the times the range scans found their points (`times`), else around the cases' infectious
 * windows — and their scans (sliceFactsOf; a margin of the point gap, twice the refinement reach and the scan stay
 * on each side, so every segment, refinement and scan stay that can match is the one the full evaluation builds),
 * by the same matchCompanions / matchVenueVisits the evaluator runs. Co-presence is summed per case
 * (match-companions.ts), so a candidate with no qualifying match against these cases gets nothing from them in the
 * full evaluation either, and their colour can change only if it depended on these cases before (a changed case:
 * its window moved). That is why the screen drops only candidates whose stored colour has neither a companion nor
 * a co-visit reason — or, when every case is new (`newCases`: no stored decision can rest on it), any candidate
 * with a stored colour; the never evaluated are kept. With habitual places on (a resident's cell point moves to
 * where their fixes in the cell were, on any day) the slice is not enough and nobody is dropped.
 *
 * A matched candidate whose stored decision has no reason from cases or risk areas is then, with `sliced`,
 * evaluated on the slice with the rest of their facts against these cases (evaluateSliced), and that evaluation
 * stands for the full one where slicedIsExact vouches for it: their 15 days of points are never loaded.
 */
import type { Db } from '../store/db.js';
import { anyReceivedVisitSince, packedFactsOf, sliceFactsOf } from '../store/recolour-facts.js';
import { coloursOf } from '../store/resident-colours.js';
import type { PersonFacts } from '../../core/rules/facts.js';
import type { RuleSet } from '../../core/rules/rules-schema.js';
import { unpackFacts } from '../../core/rules/packed-facts.js';
import { caseTimeline, infectiousWindow } from '../../core/rules/infectious-window.js';
import { matchCompanions } from '../../core/rules/match-companions.js';
import { matchVenueVisits } from '../../core/rules/match-venues.js';
import { buildWorldIndex, infectiousOptions, scanStayOf } from '../../core/rules/spatial-index.js';
import { segments } from '../../core/rules/trajectory.js';
import type { CellSite, WorldFacts } from '../../core/rules/facts.js';
import { FACTS_LOOKBACK_MS, IN_CHUNK } from './load-facts.js';
import { EvaluatePool, POOL_MIN_RESIDENTS, workerCount } from './evaluate-pool.js';
import { overridesFor } from './overrides.js';
import { engineFor, type Evaluation } from './engine-for.js';
import { evaluateFacts, type Evaluated } from './evaluate-batch.js';
import type { PackedFacts } from '../../core/rules/packed-facts.js';

/** Stored reasons that may depend on a case's points or scans: a candidate holding one is always re-evaluated. */
const CASE_DERIVED = new Set(['spatiotemporal-companion', 'venue-co-visit']);

export interface ScreenStats {
	/** candidates the range scans found */
	found: number;
	/** of them matched against the new cases (stored colour without a case-derived reason) */
	screened: number;
	/** of the screened, those with a qualifying match (kept) */
	matched: number;
	/** of the matched, those evaluated on their slice (sliced evaluation: no full load), and those of them that fell back to a full one */
	sliced?: number;
	fellBack?: number;
	/** characters of packed points the slices brought (proportional to the points read) */
	sliceChars?: number;
	/** wall time (ms) of the search before the screen: the cases' facts and the index range scans (affected.ts) */
	scansMs?: number;
	/** wall time (ms) of the main thread: reading stored colours, loading the slices, matching (with workers: waiting for them) */
	ms?: { colours: number; slices: number; match: number; sliced?: number };
}

/** Reasons from the resident's trajectory in risk areas: the slice's evaluation sees no risk area. */
const AREA_DERIVED = new Set(['high-risk-area-stay', 'medium-risk-area-stay']);

/** What the screen decided: who needs a full evaluation, and who was evaluated exactly on their slice. */
export interface ScreenResult {
	keep: Set<string>;
	evaluated: Evaluated[];
}

/** The latest event time (Unix seconds) of a stored companion or co-visit reason, from its stored explanation. */
export type StoredEvents = Partial<Record<'spatiotemporal-companion' | 'venue-co-visit', number>>;

/**
 * Whether a sliced evaluation (screenCandidates, `sliced`) of a resident whose stored decision has no risk-area
 * reason is the full evaluation's. The sliced one sees only the new cases; the full one also the resident's matches
 * with every other case, over 15 days, and for each rule takes the latest (evaluate.ts eventEpisode).
 * - A rule the stored decision has no reason from: every old match gave none, so it is outside the look-back or
 *   its episode is over — past its hold (at ≤ now − holdDays) and, with tests required, tested out: `count`
 *   negative tests sampled at or after it. When no time at or after the new cases' latest match can be both, every
 *   old match is earlier, and the full evaluation's latest event is the sliced one's: the same time, place, tests,
 *   way back and review time. When the sliced evaluation gives the rule no reason, the full one gives none either
 *   (a later old match was tested out; an earlier one is the sliced one's).
 * - A rule the stored decision has a reason from (`stored`: its event's time, the latest old match): exact when the
 *   sliced evaluation has that reason too, from a later match.
 * `negatives`: the resident's negative tests (Unix seconds).
 */
export function slicedIsExact(
	rules: RuleSet,
	ev: Evaluation,
	negatives: readonly number[],
	nowSec: number,
	stored: StoredEvents = {}
): boolean {
	for (const reason of ['spatiotemporal-companion', 'venue-co-visit'] as const) {
		const event = ev.events.find((e) => e.reason === reason);
		const old = stored[reason];
		if (old !== undefined) {
			if (!event || !(event.at > old)) return false;
			continue;
		}
		if (!event) continue;
		const rule = rules.rules[reason];
		// an old match at or after event.at still held
		if (event.at > nowSec - rule.holdDays * 86_400) continue;
		// … or not tested out: fewer negative tests from event.at on than the rule asks for
		if (rule.tests && rule.tests.count > 0 && negatives.filter((t) => t >= event.at).length < rule.tests.count) continue;
		return false;
	}
	return true;
}

/**
 * The stored events of a decision's companion and co-visit reasons, or null when they cannot be read (no explanation,
 * or an event naming another region: its old matches would show there, the slice sees none).
 */
function storedEvents(reasons: readonly string[], explainJson: string | null): StoredEvents | null {
	const out: StoredEvents = {};
	const held = reasons.filter((r): r is keyof StoredEvents => r === 'spatiotemporal-companion' || r === 'venue-co-visit');
	if (!held.length) return out;
	if (!explainJson) return null;
	const events = (JSON.parse(explainJson) as { events?: { reason: string; at: number; from?: string[] }[] }).events ?? [];
	for (const reason of held) {
		const e = events.find((x) => x.reason === reason);
		if (!e || !Number.isFinite(e.at) || e.from?.length) return null;
		out[reason] = e.at;
	}
	return out;
}

/**
 * The candidates the new cases can recolour: `found` minus the screened who have no qualifying match with them.
 * `cases`: the new (or changed) cases' full facts as loaded for the search.
 */
export async function screenCandidates(
	db: Db,
	rules: RuleSet,
	cells: readonly CellSite[],
	cases: readonly PersonFacts[],
	found: ReadonlySet<string>,
	nowMs: number,
	stats?: ScreenStats,
	opts: { sliced?: boolean; newCases?: ReadonlySet<string>; times?: ReadonlyMap<string, { lo: number; hi: number }> } = {}
): Promise<ScreenResult> {
	const companion = rules.rules['spatiotemporal-companion'];
	const venue = rules.rules['venue-co-visit'];
	if (stats) stats.found += found.size;
	if (found.size === 0 || (companion.active && companion.method === 'precise' && companion.precise.habitualSpreadM > 0))
		return { keep: new Set(found), evaluated: [] };
	const nowSec = Math.floor(nowMs / 1000);
	const timelines = cases.map((c) => caseTimeline(c));
	const infectious = infectiousOptions(rules);
	let from = Infinity;
	let until = -Infinity;
	for (const t of timelines)
		for (const o of [infectious.companion, infectious.venue]) {
			const w = infectiousWindow(t, o);
			if (w.until > w.from) {
				from = Math.min(from, w.from);
				until = Math.max(until, w.until);
			}
		}
	const keep = new Set<string>();
	if (!(until > from)) return { keep, evaluated: [] };
	const refineS = companion.method === 'precise' ? companion.precise.refineMinutes * 60 : 0;
	const marginS =
		rules.trajectory.maxPointGapMinutes * 60 + 2 * refineS + scanStayOf(rules) + (venue.active ? venue.windowMinutes * 60 : 0) + 3600;
	const world: WorldFacts = {
		riskAreas: [],
		caseTrajectories: cases.filter((c) => c.trajectory.length).map((c) => ({ ref: c.ref, points: [...c.trajectory] })),
		caseVisits: cases.filter((c) => c.visits.length).map((c) => ({ ref: c.ref, visits: [...c.visits] })),
		cells: [...cells],
		cases: timelines
	};
	const all = [...found];
	// only new cases (no stored decision can rest on them): a companion reason is another case's, so even its holder
	// keeps the colour unless these cases match
	const allNew = cases.every((c) => opts.newCases?.has(c.ref) === true);
	const screen: string[] = [];
	// screened residents whose stored decision has no risk-area reason (and the times of its companion and co-visit
	// events): if matched, evaluated on their slice
	const plain = new Map<string, StoredEvents>();
	// a visit recorded by another region names it in an explanation (federation/fact.ts sourceRegionsOf): an old
	// match with one would show there, and the slice does not see old matches — then every match is loaded in full
	const sliced = opts.sliced === true && !(await anyReceivedVisitSince(db, nowMs - FACTS_LOOKBACK_MS));
	const slicesOf = new Map<string, PackedFacts>();
	const ms = stats ? (stats.ms ??= { colours: 0, slices: 0, match: 0 }) : { colours: 0, slices: 0, match: 0 };
	let t = performance.now();
	for (let i = 0; i < all.length; i += IN_CHUNK) {
		const part = all.slice(i, i + IN_CHUNK);
		const stored = new Map((await coloursOf(db, part)).map((r) => [r.ref, r]));
		for (const ref of part) {
			const row = stored.get(ref);
			const reasons = row ? (JSON.parse(row.reasons_json) as string[]) : undefined;
			if (reasons === undefined || (!allNew && reasons.some((r) => CASE_DERIVED.has(r)))) keep.add(ref);
			else {
				screen.push(ref);
				if (reasons.some((r) => AREA_DERIVED.has(r) || r === 'authority-decision')) continue;
				const events = storedEvents(reasons, row!.explain_json);
				if (events) plain.set(ref, events);
			}
		}
	}
	if (stats) stats.screened += screen.length;
	ms.colours += performance.now() - t;
	// Matching is CPU work: with enough to screen it runs in the evaluation workers (evaluate() on the slice, against a
	// world of these cases only: its one possible reason is a companion or co-visit match) while the next slices load.
	const pool = screen.length >= POOL_MIN_RESIDENTS ? await EvaluatePool.start(rules, world, workerCount()) : null;
	const index = pool ? null : buildWorldIndex(world, rules);
	const matched: string[] = [];
	// Each candidate's points around the times the range scans found them, with the same margin. A segment that can be
	// co-present with these cases starts at a point the scans find (a cell point by its cell, refined or not; a fix by
	// the distance reach) or at a cell point refined by such a fix (≤ refineMinutes from it). Building that segment as
	// the full trajectory does takes its next point (≤ the gap) and the points within the refinement reach of its start:
	// all within 2 × refine + gap of a found point, inside the margin. A point nearer the slice's edges may be built
	// otherwise (a refinement cut off), but then it is not co-present: if it were, it or its refining fix would have
	// been found, and it would be within refine of [lo, hi]. Scans and visits are read over the whole slice.
	const rangesOf = (refs: readonly string[]) => {
		if (!opts.times) return undefined;
		const out = new Map<string, { lo: number; hi: number }>();
		for (const ref of refs) {
			const t = opts.times.get(ref);
			if (t) out.set(ref, { lo: t.lo - marginS * 1000, hi: t.hi + marginS * 1000 + 1 });
		}
		return out;
	};
	const kept = (ref: string) => {
		if (sliced && plain.has(ref)) matched.push(ref);
		else keep.add(ref);
		if (stats) stats.matched++;
	};
	const inflight = new Set<Promise<void>>();
	let failure: { error: unknown } | undefined;
	try {
		for (let i = 0; i < screen.length && !failure; i += IN_CHUNK) {
			t = performance.now();
			const part = screen.slice(i, i + IN_CHUNK);
			const slices = await sliceFactsOf(db, part, (from - marginS) * 1000, (until + marginS) * 1000, rangesOf(part));
			const t2 = performance.now();
			ms.slices += t2 - t;
			if (sliced) for (const p of slices) if (plain.has(p.facts.ref)) slicesOf.set(p.facts.ref, p);
			if (stats) for (const p of slices) for (const json of p.packed) stats.sliceChars = (stats.sliceChars ?? 0) + json.length;
			if (!pool) {
				for (const packed of slices) {
					const f = unpackFacts(packed);
					const hit =
						(companion.active &&
							matchCompanions(segments(f.trajectory, index!.maxGapS), index!, companion, f.ref, nowSec, f.visits).some(
								(m) => m.qualifies
							)) ||
						(venue.active && matchVenueVisits(f.visits, index!, venue, f.ref, nowSec).length > 0);
					if (hit) kept(f.ref);
					else slicesOf.delete(f.ref);
				}
				ms.match += performance.now() - t2;
				continue;
			}
			const job: Promise<void> = pool
				.run(slices, nowSec)
				.then((results) => {
					// the unmatched are done with: their slices need not stay in memory
					for (const r of results)
						if (r.ev.colour !== 'green' || r.ev.reasons.length > 0) kept(r.ref);
						else slicesOf.delete(r.ref);
				})
				.catch((error: unknown) => {
					failure ??= { error };
				})
				.finally(() => inflight.delete(job));
			inflight.add(job);
			if (inflight.size >= 2 * pool.size) {
				const t3 = performance.now();
				await Promise.race(inflight);
				ms.match += performance.now() - t3;
			}
		}
		const t4 = performance.now();
		await Promise.all(inflight);
		ms.match += performance.now() - t4;
		if (failure) throw failure.error;
		const t5 = performance.now();
		const evaluated = await evaluateSliced(db, rules, world, matched, slicesOf, plain, nowMs, pool, keep, stats);
		ms.sliced = (ms.sliced ?? 0) + performance.now() - t5;
		return { keep, evaluated };
	} finally {
		await pool?.close();
	}
}

/**
 * The matched residents with no world-derived stored reason, evaluated on their slice: their full facts but the
 * trajectory (tests, cases, orders, contacts, declarations, all visits and scans: small), the slice's trajectory
 * points, against the new cases alone (slicedIsExact says why that is the full evaluation). An override in force,
 * or a result slicedIsExact cannot vouch for, goes to `keep` for a full evaluation instead.
 */
async function evaluateSliced(
	db: Db,
	rules: RuleSet,
	world: WorldFacts,
	refs: readonly string[],
	slicesOf: ReadonlyMap<string, PackedFacts>,
	stored: ReadonlyMap<string, StoredEvents>,
	nowMs: number,
	pool: EvaluatePool | null,
	keep: Set<string>,
	stats: ScreenStats | undefined
): Promise<Evaluated[]> {
	const nowSec = Math.floor(nowMs / 1000);
	const engine = pool ? null : engineFor(rules, world);
	const out: Evaluated[] = [];
	const jobs: Promise<void>[] = [];
	for (let i = 0; i < refs.length; i += IN_CHUNK) {
		const part = refs.slice(i, i + IN_CHUNK);
		const overridden = await overridesFor(db, part, nowMs);
		for (const ref of overridden.keys()) keep.add(ref);
		const small = await packedFactsOf(
			db,
			part.filter((r) => !overridden.has(r) && slicesOf.has(r)),
			nowMs - FACTS_LOOKBACK_MS,
			{ trajectory: false }
		);
		for (const ref of part) if (!overridden.has(ref) && !slicesOf.has(ref)) keep.add(ref);
		const batch = small.map((p) => {
			const slice = slicesOf.get(p.facts.ref)!;
			return { facts: { ...p.facts, trajectory: slice.facts.trajectory }, packed: slice.packed };
		});
		const negativesOf = new Map(
			batch.map((p) => [p.facts.ref, p.facts.tests.filter((t) => t.result === 'negative').map((t) => t.sampledAt)])
		);
		const take = (results: readonly Evaluated[]) => {
			for (const r of results) {
				if (slicedIsExact(rules, r.ev, negativesOf.get(r.ref) ?? [], nowSec, stored.get(r.ref))) out.push(r);
				else {
					keep.add(r.ref);
					if (stats) stats.fellBack = (stats.fellBack ?? 0) + 1;
				}
			}
		};
		if (pool) jobs.push(pool.run(batch, nowSec).then(take));
		else take(batch.map((p) => evaluateFacts(engine!, unpackFacts(p), nowSec)));
		if (jobs.length >= 2 * (pool?.size ?? 1)) await Promise.all(jobs.splice(0));
	}
	await Promise.all(jobs);
	if (stats) stats.sliced = (stats.sliced ?? 0) + out.length;
	return out;
}
