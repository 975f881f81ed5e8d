/**
 * Incremental recolouring: re-evaluates the given residents (affected.ts says who) with the active rules and
 * records every change. Per chunk of CHUNK refs: their facts are loaded in bulk (load-facts.ts), evaluated
 * against the run's world index (built once), compared with resident_colours, and the changes written in one
 * transaction:
 * - resident_colours updated, and one append-only resident_colour_events row per change (rule version,
 *   reasons, the fact ids the evaluator used, actor) — a colour never changes without its audit entry;
 * - for residents with an account (a `people` row): the issuance pipeline (issuance/issue.ts) signs new codes,
 *   appends the old code ids to the status list when the colour changed, and records the colour_events entry
 *   the app's history shows. The app picks the new code up at its next sync (GET /api/v1/me/codes). Without a
 *   registered device the decision is recorded and codes follow at the next sync (issuer/top-up.ts).
 * Residents whose colour and reasons are unchanged get nothing written but, when it moved, their review time
 * (resident_colours.review_at, the evaluator's reviewAt: when time alone may change the colour; review-due.ts).
 */
import type { PeopleTable } from '../store/schema.js';
import { transaction, type StoreTx } from '../store/db.js';
import { livePeopleByIdHmac } from '../store/people.js';
import { coloursOf, residentColour, setReviewTimes, writeColours } from '../store/resident-colours.js';
import type { ColourReason } from '../../core/colour-reasons.js';
import type { ColourDecision, StaffDecision } from '../issuance/decision.js';
import { issue, type Issued } from '../issuance/issue.js';
import type { IssuerDeps } from '../deps.js';
import { loadEngine, type Engine, type Evaluation } from './engine.js';
import { IN_CHUNK, loadPackedFacts, loadPersonFacts } from './load-facts.js';
import { evaluateFacts, type Evaluated } from './evaluate-batch.js';
import { EvaluatePool, POOL_MIN_RESIDENTS, workerCount } from './evaluate-pool.js';
import { unpackFacts } from '../../core/rules/packed-facts.js';
import { sameReasons } from '../../core/colour-reasons.js';
import { overridesFor, withOverride } from './overrides.js';
import { bumpCodesVersionOfPeople } from '../store/codes-version.js';
import { setExplanations } from '../store/resident-colours.js';
import { explanationJson } from './explanation.js';

export const CHUNK = IN_CHUNK;

export interface RecolourResult {
	evaluated: number;
	changed: number;
	/** "green→yellow": count */
	transitions: Record<string, number>;
	codesIssued: number;
	ruleVersion: string;
	ms: number;
	/** worker threads that evaluated (0: in the main thread; absent where a run was not recolour()'s, e.g. the seed's) */
	workers?: number;
	/**
	 * Where the main thread's time went (ms; evaluation runs beside these in workers, or between them without):
	 * loading facts, comparing and writing unchanged residents' review times and explanations, and writing changes —
	 * colours with their audit rows (`colours`) and the issuance of each changed resident's codes and history (`issue`).
	 */
	phasesMs?: { load: number; unchanged: number; colours: number; issue: number };
	/** of the unchanged, those whose review time moved, and those whose explanation did (both written) */
	moved?: { reviewAt: number; explanation: number };
}

export interface RecolourOptions {
	actor: string;
	/** a prepared engine (rules + world index); default: the active rules over the current facts */
	engine?: Engine;
	onProgress?: (done: number, total: number) => void;
	/** worker threads to evaluate with (evaluate-pool.ts); default: workerCount() for runs of POOL_MIN_RESIDENTS or more, else none */
	workers?: number;
	/** the staff decision this run carries out (proposals/): recorded with each change in the residents' history */
	staff?: StaffDecision;
}

/** The decision as the issuance pipeline records it (issuance/decision.ts); lastNegativeTestAt (Unix seconds) goes into the code. */
export function toDecision(ev: Evaluation, lastNegativeTestAt: number | undefined, actor: string, staff?: StaffDecision): ColourDecision {
	const reasons = [...ev.reasons] as ColourReason[];
	return {
		colour: ev.colour,
		reasons,
		auditReasons: ev.colour === 'green' ? (reasons.length ? reasons : ['no-adverse-data']) : reasons,
		ruleVersion: ev.ruleVersion,
		facts: { used: ev.factsUsed },
		actor,
		explanation: explanationJson(ev),
		...(lastNegativeTestAt === undefined ? {} : { lastNegativeTestAt }),
		...(staff ? { staff } : {})
	};
}

export async function recolour(deps: IssuerDeps, refs: Iterable<string>, opts: RecolourOptions): Promise<RecolourResult> {
	const started = performance.now();
	const now = deps.clock();
	const nowSec = Math.floor(now / 1000);
	const engine = opts.engine ?? (await loadEngine(deps.db, now));
	const all = [...new Set(refs)];
	const workers = opts.workers ?? (all.length >= POOL_MIN_RESIDENTS ? workerCount() : 0);
	const pool = workers > 0 ? await EvaluatePool.start(engine.rules, engine.world, workers) : null;
	const result: RecolourResult = {
		evaluated: 0,
		changed: 0,
		transitions: {},
		codesIssued: 0,
		ruleVersion: engine.ruleVersion,
		ms: 0,
		workers: pool?.size ?? 0,
		phasesMs: { load: 0, unchanged: 0, colours: 0, issue: 0 },
		moved: { reviewAt: 0, explanation: 0 }
	};
	// Chunks are loaded here and evaluated by the pool while the next ones load; each is written when its
	// results are back (chunks are disjoint, so in any order). At most two chunks per worker are in flight.
	const inflight = new Set<Promise<void>>();
	let failure: { error: unknown } | undefined;
	let done = 0;
	try {
		for (let i = 0; i < all.length && !failure; i += CHUNK) {
			const part = all.slice(i, i + CHUNK);
			const tLoad = performance.now();
			const packed = await loadPackedFacts(deps.db, part, now);
			result.phasesMs!.load += performance.now() - tLoad;
			const evaluated = pool ? pool.run(packed, nowSec) : Promise.resolve(packed.map((p) => evaluateFacts(engine, unpackFacts(p), nowSec)));
			const job: Promise<void> = evaluated
				.then((results) => applyResults(deps, results, now, opts.actor, result, opts.staff))
				.then(() => opts.onProgress?.((done += part.length), all.length))
				.catch((error: unknown) => {
					failure ??= { error };
				})
				.finally(() => inflight.delete(job));
			inflight.add(job);
			if (inflight.size >= 2 * Math.max(1, pool?.size ?? 0)) await Promise.race(inflight);
		}
		await Promise.all(inflight);
	} finally {
		await pool?.close();
	}
	if (failure) throw failure.error;
	result.ms = Math.round(performance.now() - started);
	return result;
}

/**
 * A case import's recolour (recolour/affected.ts affectedPlan): `refs` evaluated in full as recolour() does, and
 * the residents the screen already evaluated exactly on their slice written the same way (compared with
 * resident_colours, changes with their audit rows and codes, review times and explanations moved).
 */
export async function recolourPlan(
	deps: IssuerDeps,
	plan: { refs: Iterable<string>; evaluated: readonly Evaluated[] },
	opts: RecolourOptions
): Promise<RecolourResult> {
	const started = performance.now();
	const refs = [...new Set(plan.refs)];
	const total = refs.length + plan.evaluated.length;
	const result = await recolour(deps, refs, {
		...opts,
		...(opts.onProgress ? { onProgress: (done: number) => opts.onProgress!(done, total) } : {})
	});
	const now = deps.clock();
	for (let i = 0; i < plan.evaluated.length; i += CHUNK) {
		const part = plan.evaluated.slice(i, i + CHUNK);
		await applyResults(deps, part, now, opts.actor, result, opts.staff);
		opts.onProgress?.(refs.length + i + part.length, total);
	}
	result.ms = Math.round(performance.now() - started);
	return result;
}

/** One chunk's evaluations against resident_colours: changes written with their audit rows and codes, review times moved. */
async function applyResults(
	deps: IssuerDeps,
	results: readonly Evaluated[],
	now: number,
	actor: string,
	result: RecolourResult,
	staff: StaffDecision | undefined
): Promise<void> {
	const phases = result.phasesMs!;
	const t0 = performance.now();
	const refs = results.map((r) => r.ref);
	const current = new Map((await coloursOf(deps.db, refs)).map((r) => [r.ref, r]));
	// manual colour decisions in force win over the rules (overrides.ts)
	const overrides = await overridesFor(deps.db, refs, now);
	if (overrides.size) results = results.map((r) => (overrides.has(r.ref) ? { ...r, ev: withOverride(r.ev, overrides.get(r.ref)) } : r));
	const changes: { ref: string; ev: Evaluation; previous: string | null; lastNegativeTestAt?: number }[] = [];
	const reviews: { ref: string; reviewAt: number | null }[] = [];
	const explained: { ref: string; explanation: string | null }[] = [];
	for (const r of results) {
		result.evaluated++;
		const cur = current.get(r.ref);
		if (cur && cur.colour === r.ev.colour && sameReasons(JSON.parse(cur.reasons_json) as string[], r.ev.reasons)) {
			if (reviewMs(r.ev) !== cur.review_at) reviews.push({ ref: r.ref, reviewAt: reviewMs(r.ev) });
			// The same colour, but the way back moved (a test done, a later event): the phone must hear of it.
			const explanation = explanationJson(r.ev);
			if (explanation !== cur.explain_json) explained.push({ ref: r.ref, explanation });
			continue;
		}
		changes.push({ ...r, previous: cur?.colour ?? null });
	}
	if (result.moved) {
		result.moved.reviewAt += reviews.length;
		result.moved.explanation += explained.length;
	}
	if (reviews.length) await writeReviewTimes(deps.db, reviews);
	if (explained.length) await transaction(deps.db, (tx) => writeExplanations(tx, explained));
	phases.unchanged += performance.now() - t0;
	if (!changes.length) return;
	await transaction(deps.db, async (tx) => {
		const t1 = performance.now();
		await writeColours(tx, toColourChanges(changes), now, actor);
		phases.colours += performance.now() - t1;
		const t2 = performance.now();
		const people = await livePeopleByIdHmac(
			tx,
			changes.map((c) => c.ref)
		);
		const byRef = new Map(changes.map((c) => [c.ref, c]));
		for (const person of people) {
			const c = byRef.get(person.id_hmac)!;
			// Codes for a person with a registered device or, without one, the decision alone.
			const { codes } = await issue(deps, tx, person, toDecision(c.ev, c.lastNegativeTestAt, actor, staff));
			if (codes.length) result.codesIssued++;
		}
		phases.issue += performance.now() - t2;
	});
	for (const c of changes) {
		const k = `${c.previous ?? 'none'}→${c.ev.colour}`;
		result.transitions[k] = (result.transitions[k] ?? 0) + 1;
	}
	result.changed += changes.length;
}

/** The evaluator's reviewAt (Unix seconds) as stored in resident_colours.review_at (ms). */
export const reviewMs = (ev: Evaluation): number | null => (ev.reviewAt === null ? null : Math.ceil(ev.reviewAt) * 1000);

/** New review times of residents whose colour did not change, in one transaction. */
async function writeReviewTimes(db: IssuerDeps['db'], reviews: readonly { ref: string; reviewAt: number | null }[]): Promise<void> {
	await transaction(db, (tx) => setReviewTimes(tx, reviews));
}

/** New explanations of residents whose colour did not change, and the ETag bump of their accounts (the app refetches). */
async function writeExplanations(tx: StoreTx, rows: readonly { ref: string; explanation: string | null }[]): Promise<void> {
	await setExplanations(tx, rows);
	const people = await livePeopleByIdHmac(
		tx,
		rows.map((r) => r.ref)
	);
	if (people.length)
		await bumpCodesVersionOfPeople(
			tx,
			people.map((p) => p.id)
		);
}

/** What store/resident-colours.ts writes for each change. */
function toColourChanges(changes: readonly { ref: string; ev: Evaluation; previous: string | null }[]) {
	return changes.map((c) => ({
		ref: c.ref,
		colour: c.ev.colour,
		previous: c.previous,
		reasons: c.ev.reasons,
		ruleVersion: c.ev.ruleVersion,
		factsUsed: c.ev.factsUsed,
		reviewAt: reviewMs(c.ev),
		explanation: explanationJson(c.ev)
	}));
}

/**
 * The colour for one person inside the caller's transaction (a declaration just stored): evaluates with the
 * current facts, updates resident_colours + audit when it changed, and returns the decision for the issuance pipeline (issuance/issue.ts).
 */
export async function decideForPerson(deps: IssuerDeps, tx: StoreTx, ref: string, actor: string): Promise<ColourDecision> {
	return (await decide(deps, tx, ref, actor)).decision;
}

async function decide(deps: IssuerDeps, tx: StoreTx, ref: string, actor: string): Promise<{ decision: ColourDecision; changed: boolean }> {
	const now = deps.clock();
	const engine = await loadEngine(tx, now, { cacheKey: deps.db });
	const evaluated = evaluateFacts(engine, (await loadPersonFacts(tx, [ref], now)).get(ref)!, Math.floor(now / 1000));
	const { lastNegativeTestAt } = evaluated;
	const ev = withOverride(evaluated.ev, (await overridesFor(tx, [ref], now)).get(ref));
	const cur = await residentColour(tx, ref);
	const changed = !cur || cur.colour !== ev.colour || !sameReasons(JSON.parse(cur.reasons_json) as string[], ev.reasons);
	if (changed) {
		await writeColours(tx, toColourChanges([{ ref, ev, previous: cur?.colour ?? null }]), now, actor);
	} else {
		if (cur.review_at !== reviewMs(ev)) await setReviewTimes(tx, [{ ref, reviewAt: reviewMs(ev) }]);
		const explanation = explanationJson(ev);
		if (explanation !== cur.explain_json) await writeExplanations(tx, [{ ref, explanation }]);
	}
	return { decision: toDecision(ev, lastNegativeTestAt, actor), changed };
}

/**
 * Decide, then issue: a person's colour from the current facts (decideForPerson) through the issuance pipeline,
 * in the caller's transaction. What a declaration and a member added do.
 */
export async function decideAndIssue(
	deps: IssuerDeps,
	tx: StoreTx,
	person: PeopleTable,
	actor: string
): Promise<{ decision: ColourDecision } & Issued> {
	const { decision, changed } = await decide(deps, tx, person.id_hmac, actor);
	const issued = await issue(deps, tx, person, decision);
	// The same person may be held as a member by other accounts (a parent's and a spouse's): a changed colour
	// reaches their codes too, in this transaction, as a recolour run would.
	if (changed) {
		for (const other of await livePeopleByIdHmac(tx, [person.id_hmac])) if (other.id !== person.id) await issue(deps, tx, other, decision);
	}
	return { decision, ...issued };
}
