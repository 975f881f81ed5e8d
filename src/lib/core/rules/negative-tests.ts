/**
 * Progress towards a negative-test requirement: the longest chain of negative tests sampled in [after, now],
 * each at least apartHours after the previous one, all within withinDays of the first (so "two tests ≥ 24 h
 * apart within 3 days" is 三天两检). Greedy earliest picks from each start are optimal for a fixed start.
 */
import type { TestRequirement } from './rules-schema.js';

export interface ChainResult {
	/** tests in the best chain, capped at the required count */
	readonly done: number;
	readonly ids: readonly string[];
}

/** `times` sorted ascending, `ids` parallel to it. */
export function negativeTestChain(
	times: readonly number[],
	ids: readonly string[],
	req: TestRequirement,
	after: number,
	now: number
): ChainResult {
	const apart = req.apartHours * 3600;
	const within = req.withinDays * 86_400;
	let best: string[] = [];
	for (let i = 0; i < times.length && best.length < req.count; i++) {
		const t0 = times[i]!;
		if (t0 < after) continue;
		if (t0 > now) break;
		const chain = [ids[i]!];
		let last = t0;
		for (let j = i + 1; j < times.length && chain.length < req.count; j++) {
			const t = times[j]!;
			if (t > now || t - t0 > within) break;
			if (t - last >= apart) {
				chain.push(ids[j]!);
				last = t;
			}
		}
		if (chain.length > best.length) best = chain;
	}
	return { done: Math.min(best.length, req.count), ids: best };
}
