import type { TestFact } from '../../lib/core/rules/facts.js';
import type { Found } from './close-contacts.js';
import type { Ctx } from './ctx.js';
import type { Member } from './household.js';
import type { CasePlan, Plan } from './plan.js';
import { Rng, STREAM } from './prng.js';

const H = 3600;
const D = 86400;

/**
 * Nucleic-acid tests: routine screening (常态化核酸: about 60 % of workers and students every third day, others
 * now and then), the mass tests of the compounds around the site, the quarantine schedule of close contacts
 * (days 1, 2, 3, 5, 7), and a case's positive sample 6 h before confirmation. Negative unless the person is a
 * case sampled after becoming infectious (those samples are left out: a case is found by its first positive).
 */
export function testsOf(ctx: Ctx, plan: Plan, m: Member, compound: number, c: CasePlan | undefined, f: Found | null): TestFact[] {
	const rng = new Rng(ctx.seed, STREAM.tests, m.p);
	const times: number[] = [];
	const regular = (m.occupation === 'worker' || m.occupation === 'student' ? 0.6 : m.occupation === 'preschool' ? 0.05 : 0.3) > rng.next();
	const phase = rng.int(0, 2);
	for (let d = 0; d < ctx.days; d++) {
		const day = ctx.m0 + d * D;
		if (regular ? d % 3 === phase : rng.chance(0.08)) times.push(day + rng.range(8, 20) * H);
	}
	if (plan.massTested.has(compound)) for (const t of plan.massTests) times.push(t + rng.range(0, 10) * H);
	if (f) for (const k of [1, 2, 3, 5, 7]) times.push(f.at + (k - 1) * D + rng.range(1, 3) * H);
	const tests: TestFact[] = [];
	for (const t of times.sort((a, b) => a - b)) {
		if (t < ctx.window.from || t >= ctx.window.until) continue;
		if (c && t >= c.infectiousFrom) continue;
		tests.push({ id: `${m.key}.n${tests.length}`, sampledAt: Math.floor(t), result: 'negative' });
	}
	if (c) tests.push({ id: `${m.key}.n${tests.length}`, sampledAt: Math.floor(c.confirmedAt - 6 * H), result: 'positive' });
	return tests;
}
