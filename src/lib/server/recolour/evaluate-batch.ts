/**
 * What one evaluation yields for recolour.ts, in-process or from a worker thread (evaluate-pool.ts): the
 * evaluation and the one fact the decision needs besides it (the last negative test, for the code).
 */
import type { ColourDiff } from '../../core/rules/diff.js';
import type { PersonFacts } from '../../core/rules/facts.js';
import type { Engine, Evaluation } from './engine-for.js';
import type { PackedFacts } from '../../core/rules/packed-facts.js';

export interface Evaluated {
	readonly ref: string;
	readonly ev: Evaluation;
	/** Unix seconds of the latest negative test, if any */
	readonly lastNegativeTestAt?: number;
}

export interface BatchRequest {
	readonly id: number;
	readonly nowSec: number;
	readonly batch: readonly PackedFacts[];
	/** a preview pool: how many changed refs to name */
	readonly sampleSize?: number;
}

export type WorkerReply =
	| { readonly id: number; readonly results: Evaluated[] }
	| { readonly id: number; readonly diff: ColourDiff }
	| { readonly id: number; readonly error: string }
	| { readonly ready: true };

export function evaluateFacts(engine: Engine, facts: PersonFacts, nowSec: number): Evaluated {
	const ev = engine.evaluate(facts, nowSec);
	let last = -Infinity;
	for (const t of facts.tests) if (t.result === 'negative' && t.sampledAt > last) last = t.sampledAt;
	return last === -Infinity ? { ref: facts.ref, ev } : { ref: facts.ref, ev, lastNegativeTestAt: last };
}
