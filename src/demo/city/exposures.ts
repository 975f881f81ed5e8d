/**
 * Ground-truth exposure, from the TRUE stays (before noise): sharing an indoor space with a case while the case
 * was infectious, near or not, or staying in the contaminated site (docs/demo-city.md).
 */
import type { CasePlan, Plan } from './plan.js';
import type { Stay } from './life.js';
import { dist } from './prng.js';

/** Exposure: same indoor space, true positions within this distance … */
export const EXPOSURE_DISTANCE_M = 25;
/** … overlapping at least this long (第九版's close-contact notion of sharing a room; see docs/demo-city.md). */
export const EXPOSURE_MIN_S = 15 * 60;

export interface Exposure {
	kind: 'companion' | 'site' | 'shared';
	c: CasePlan | null;
	space: number;
	at: number;
	end: number;
	seconds: number;
}

/** Exposures of one person's true stays: companion (near a case), site (in the contaminated site), shared space. */
export function exposures(plan: Plan, p: number, stays: readonly Stay[]): Exposure[] {
	const out: Exposure[] = [];
	for (const s of stays) {
		if (s.space === plan.siteSpace) {
			const ov = Math.min(s.until, plan.siteUntil) - Math.max(s.from, plan.siteFrom);
			if (ov >= EXPOSURE_MIN_S)
				out.push({
					kind: 'site',
					c: plan.cases[0] ?? null,
					space: s.space,
					at: Math.max(s.from, plan.siteFrom),
					end: Math.min(s.until, plan.siteUntil),
					seconds: ov
				});
		}
		const list = plan.presence.get(s.space);
		if (!list) continue;
		for (const q of list) {
			if (q.c.p === p) continue;
			const ov = Math.min(s.until, q.until) - Math.max(s.from, q.from);
			if (ov < EXPOSURE_MIN_S) continue;
			const near = dist(s.x - q.x, s.y - q.y) <= EXPOSURE_DISTANCE_M;
			out.push({
				kind: near ? 'companion' : 'shared',
				c: q.c,
				space: s.space,
				at: Math.max(s.from, q.from),
				end: Math.min(s.until, q.until),
				seconds: ov
			});
		}
	}
	return out;
}
