import type { RuleSet } from './rules-schema.js';

/** The rule set in effect at `now`: the latest effectiveFrom ≤ now (ties: the later one in the list); null if none. */
export function ruleSetInEffect(sets: readonly RuleSet[], now: number): RuleSet | null {
	let best: RuleSet | null = null;
	for (const s of sets) if (s.effectiveFrom <= now && (best === null || s.effectiveFrom >= best.effectiveFrom)) best = s;
	return best;
}
