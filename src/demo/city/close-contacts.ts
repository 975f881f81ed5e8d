import type { Ctx } from './ctx.js';
import { exposures, type Exposure } from './exposures.js';
import type { Member } from './household.js';
import { SPACE, spaceKind, type Stay } from './life.js';
import type { CasePlan, Plan } from './plan.js';
import { Rng, STREAM } from './prng.js';

const H = 3600;

/** Probability that the investigation names someone a close contact, by how they shared space with a case. */
function foundProbability(e: Exposure): number {
	const k = spaceKind(e.space);
	if (e.kind === 'shared') return k === SPACE.work || k === SPACE.school ? 0.25 : 0.02;
	if (k === SPACE.home) return 1;
	if (k === SPACE.work || k === SPACE.school) return 0.85;
	// in the contaminated site but not near a case: few are named (customers of the stall, via payments);
	// the rest are left to the co-visit and companion rules
	if (e.kind === 'site') return 0.1;
	// near a case at a venue: traced through the guards' scan logs and payment records
	return 0.4;
}

/** A person the investigation names a close contact: when, the end of the exposure, and to which case. */
export interface Found {
	readonly at: number;
	readonly exposedAt: number;
	readonly to: CasePlan;
}

/**
 * The investigation's close contacts among a household's members (null: not named), from their true stays before
 * investigation. A case is never its own contact; the plan may force a person to be named or not.
 */
export function closeContactsOf(ctx: Ctx, plan: Plan, members: readonly Member[], stays: readonly Stay[][]): (Found | null)[] {
	return members.map((m, i) => {
		const o = plan.persons.get(m.p);
		if (o?.case || o?.found === 'never') return null;
		const rng = new Rng(ctx.seed, STREAM.investigation, m.p);
		// one decision per person: the investigation follows the most traceable exposure
		let best: Exposure | null = null;
		let bestP = 0;
		for (const e of exposures(plan, m.p, stays[i]!)) {
			if (!e.c || (o?.found === 'always' && e.kind === 'shared')) continue;
			const pr = o?.found === 'always' ? 1 : foundProbability(e);
			if (pr > bestP || (pr === bestP && best && e.end > best.end)) {
				best = e;
				bestP = pr;
			}
		}
		if (!best?.c || !rng.chance(bestP)) return null;
		const at = best.c.confirmedAt + rng.range(6, 24) * H;
		if (at >= ctx.window.until) return null;
		return { at, exposedAt: Math.floor(best.end), to: best.c };
	});
}
