import type { Ctx } from './ctx.js';
import type { Member } from './household.js';
import type { Place } from './layout.js';
import { confine, lifeOf, space, SPACE, type PersonPlan, type Stay } from './life.js';
import type { Plan } from './plan.js';
import { dist, Rng, STREAM } from './prng.js';

const D = 86400;

function nearestOf(rng: Rng, places: readonly Place[], x: number, y: number, tries: number): number {
	let best = 0;
	let bestD = Infinity;
	for (let i = 0; i < tries; i++) {
		const k = rng.int(0, places.length - 1);
		const d = dist(places[k]!.x - x, places[k]!.y - y);
		if (d < bestD) {
			bestD = d;
			best = k;
		}
	}
	return best;
}

/** A person's workplace / school and forced visits (the plan's overrides win). */
export function personPlan(ctx: Ctx, plan: Plan | null, m: Member, home: { x: number; y: number }, rng: Rng): PersonPlan {
	const o = plan?.persons.get(m.p);
	const { layout } = ctx;
	let work: PersonPlan['work'] = null;
	if (m.occupation === 'worker') {
		const k = nearestOf(rng, layout.workplaces, home.x, home.y, 3);
		const w = layout.workplaces[k]!;
		const a = rng.range(0, 2 * Math.PI);
		const r = w.r * Math.sqrt(rng.next());
		// offices have floors: one floor is one indoor space (4 per workplace)
		work = {
			x: w.x + r * Math.cos(a),
			y: w.y + r * Math.sin(a),
			space: space(SPACE.work, k * 4 + rng.int(0, 3)),
			r: w.r,
			venues: layout.workVenues[k]!
		};
	} else if (m.occupation === 'student') {
		const k = nearestOf(rng, layout.schools, home.x, home.y, 3);
		const s = layout.schools[k]!;
		const a = rng.range(0, 2 * Math.PI);
		const r = s.r * Math.sqrt(rng.next());
		// a school is 8 classrooms (indoor spaces)
		work = { x: s.x + r * Math.cos(a), y: s.y + r * Math.sin(a), space: space(SPACE.school, k * 8 + rng.int(0, 7)), r: s.r, venues: [] };
	}
	if (o?.work) work = { ...o.work, r: 40, venues: work?.venues ?? [] };
	return { work, vendor: o?.vendor ?? false, forced: o?.forced ?? [] };
}

/** True stays of one person before investigation (cases are isolated in hospital from confirmation). */
export function baseStays(
	ctx: Ctx,
	plan: Plan | null,
	m: Member,
	home: { x: number; y: number; space: number; venues: readonly number[] }
): Stay[] {
	const rng = new Rng(ctx.seed, STREAM.life, m.p);
	const pp = personPlan(ctx, plan, m, home, rng);
	let stays = lifeOf(ctx, rng, m, home, pp);
	const c = plan?.persons.get(m.p)?.case;
	if (c) stays = confine(stays, c.confirmedAt, ctx.m0 + ctx.days * D, { ...ctx.layout.hospital, space: space(SPACE.isolation, 0) });
	return stays;
}
