/**
 * Loads the facts of src/lib/core/rules/facts.ts for recolouring: PersonFacts for any number of refs, chunked into
 * IN_CHUNK-sized `IN (…)` lists (store/recolour-facts.ts reads one chunk), and the WorldFacts of a recolour run
 * (active risk areas, cell sites, and the trajectories and venue visits of confirmed cases), over the look-back.
 */
import type { Db } from '../store/db.js';
import { caseRefsSince, cellSiteFacts, packedFactsOf } from '../store/recolour-facts.js';
import { riskAreasSince } from '../store/risk-areas.js';
import type { PersonFacts, TrajectoryPoint, VenueVisit, WorldFacts } from '../../core/rules/facts.js';
import { unpackFacts, type PackedFacts } from '../../core/rules/packed-facts.js';
import { caseTimeline, type CaseTimeline } from '../../core/rules/infectious-window.js';

export { declarationFact } from '../store/recolour-facts.js';
export { riskAreaFromRow } from '../store/risk-areas.js';

/** How far back trajectories and visits are loaded: the longest lookback of any rule (14 days) plus a day. */
export const FACTS_LOOKBACK_MS = 15 * 86_400_000;
/** refs per IN (…) list */
export const IN_CHUNK = 500;

function chunks<T>(xs: readonly T[], n = IN_CHUNK): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
	return out;
}

export async function loadPersonFacts(db: Db, refs: readonly string[], nowMs: number): Promise<Map<string, PersonFacts>> {
	const out = new Map<string, PersonFacts>();
	for (const p of await loadPackedFacts(db, refs, nowMs)) out.set(p.facts.ref, unpackFacts(p));
	return out;
}

/**
 * The facts of the refs with their trajectories still packed as stored (one JSON array per phone on SQLite):
 * unpacking is most of the cost of loading, so a recolour run with worker threads (evaluate-pool.ts) leaves it
 * to the worker that evaluates them. unpackFacts gives what loadPersonFacts returns.
 */
export async function loadPackedFacts(db: Db, refs: readonly string[], nowMs: number): Promise<PackedFacts[]> {
	const out: PackedFacts[] = [];
	for (const part of chunks([...new Set(refs)])) out.push(...(await packedFactsOf(db, part, nowMs - FACTS_LOOKBACK_MS)));
	return out;
}

/** Confirmed cases whose infectious period may still matter (not released before the lookback). */
export async function activeCaseRefs(db: Db, nowMs: number): Promise<string[]> {
	return caseRefsSince(db, nowMs - FACTS_LOOKBACK_MS);
}

export async function loadWorldFacts(db: Db, nowMs: number): Promise<WorldFacts> {
	const since = nowMs - FACTS_LOOKBACK_MS;
	const riskAreas = await riskAreasSince(db, since);
	const caseRefs = await activeCaseRefs(db, nowMs);
	const trajectories = new Map<string, TrajectoryPoint[]>();
	const visits = new Map<string, VenueVisit[]>();
	const cases: CaseTimeline[] = [];
	for (const part of chunks(caseRefs)) {
		const facts = await loadPersonFacts(db, part, nowMs);
		for (const [ref, f] of facts) {
			// the case's own facts (confirmation, positive samples) give its infectious window (core infectious-window.ts)
			cases.push(caseTimeline(f));
			if (f.trajectory.length) trajectories.set(ref, [...f.trajectory]);
			if (f.visits.length) visits.set(ref, [...f.visits]);
		}
	}
	return {
		riskAreas,
		caseTrajectories: [...trajectories].map(([ref, points]) => ({ ref, points })),
		caseVisits: [...visits].map(([ref, v]) => ({ ref, visits: v })),
		cells: await cellSiteFacts(db),
		cases
	};
}
