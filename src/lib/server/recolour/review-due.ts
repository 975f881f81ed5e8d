/**
 * Colours that change with time alone: a close contact's 7-day hold ends, a quarantine order runs out, a
 * risk-area stay or a companion exposure ages out of its look-back. No fact arrives at that moment, so nothing
 * else would recolour the resident; they would stay red or yellow until some unrelated fact came in.
 *
 * Every recolour stores the evaluator's reviewAt in resident_colours.review_at (migration 005). This job takes
 * the residents whose review time has come (`review_at <= now`, an index range scan, BATCH at a time, earliest
 * first) and recolours them through the normal path (recolour.ts) with actor `system/review`: a changed colour
 * gets new codes, the old code ids on the status list and its audit entry; an unchanged one gets only its next
 * review time. Either way review_at moves past now (the evaluator only returns later times) or becomes NULL,
 * so a second run finds nothing: the job is idempotent. Time is deps.clock().
 */
import { scheduleJob } from '../jobs/schedule-job.js';
import type { IssuerDeps } from '../deps.js';
import { dueForReview } from '../store/resident-colours.js';
import { loadEngine } from './engine.js';
import { recolour, type RecolourResult } from './recolour.js';

export const REVIEW_ACTOR = 'system/review';
/** Residents per batch (one recolour call each): bounded memory and transaction size. */
export const REVIEW_BATCH = 1000;

export interface ReviewResult {
	/** residents whose review time had come */
	due: number;
	evaluated: number;
	changed: number;
	/** "red→green": count */
	transitions: Record<string, number>;
	codesIssued: number;
	ms: number;
}

/** Refs due for review at nowMs, earliest first. */
export async function dueRefs(db: IssuerDeps['db'], nowMs: number, limit: number): Promise<string[]> {
	return dueForReview(db, nowMs, limit);
}

/**
 * Recolours every resident due for review, BATCH at a time, with one engine (rules + world index) for the run.
 * `maxBatches` bounds one run (the scheduler's next tick continues); a batch that makes no progress (a ref
 * seen twice in one run) stops it rather than spinning.
 */
export async function reviewDue(
	deps: IssuerDeps,
	opts: { batch?: number; maxBatches?: number; actor?: string } = {}
): Promise<ReviewResult> {
	const started = performance.now();
	const now = deps.clock();
	const batch = opts.batch ?? REVIEW_BATCH;
	const maxBatches = opts.maxBatches ?? Infinity;
	const out: ReviewResult = { due: 0, evaluated: 0, changed: 0, transitions: {}, codesIssued: 0, ms: 0 };
	const seen = new Set<string>();
	let engine: Awaited<ReturnType<typeof loadEngine>> | undefined;
	for (let b = 0; b < maxBatches; b++) {
		const refs = await dueRefs(deps.db, now, batch);
		if (refs.length === 0 || refs.some((r) => seen.has(r))) break;
		for (const r of refs) seen.add(r);
		engine ??= await loadEngine(deps.db, now);
		const r: RecolourResult = await recolour(deps, refs, { actor: opts.actor ?? REVIEW_ACTOR, engine });
		out.due += refs.length;
		out.evaluated += r.evaluated;
		out.changed += r.changed;
		out.codesIssued += r.codesIssued;
		for (const [k, n] of Object.entries(r.transitions)) out.transitions[k] = (out.transitions[k] ?? 0) + n;
		if (refs.length < batch) break;
	}
	out.ms = Math.round(performance.now() - started);
	return out;
}

export const REVIEW_INTERVAL_MS = 60_000;
/** Batches per scheduled run (20 000 residents): a burst of holds ending together spreads over a few minutes. */
export const REVIEW_MAX_BATCHES_PER_RUN = 20;

/**
 * Runs reviewDue every `intervalMs` (default a minute; hooks.server.ts starts it with the server, not CLI
 * commands) through jobs/schedule-job.ts: never overlapping itself, and across app instances on one database only
 * the first to claim the minute's window runs it (a run longer than the window can still meet the next instance's:
 * recolouring is idempotent, at worst a colour is re-decided twice). Logs counts only: no refs, no facts.
 * Returns a stop function (tests).
 */
export function scheduleReview(deps: IssuerDeps, intervalMs = REVIEW_INTERVAL_MS, log?: (msg: string) => void): () => void {
	const run = async () => {
		const r = await reviewDue(deps, { maxBatches: REVIEW_MAX_BATCHES_PER_RUN });
		return r.changed > 0 ? `${r.due} due, ${r.changed} changed ${JSON.stringify(r.transitions)} in ${r.ms} ms` : undefined;
	};
	return scheduleJob(deps.db, deps.clock, { name: 'review-due', label: 'colour review', intervalMs, run }, log);
}
