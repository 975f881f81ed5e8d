/**
 * One household from start to finish: members (members-of.ts, household.ts) → home and workplaces (home-of.ts,
 * base-stays.ts) → true stays (life.ts) → ground-truth exposure against the outbreak's case presence
 * (exposures.ts) → what the investigation finds (close-contacts.ts; secondary contacts, quarantine) → confinement
 * → exposure again on the final stays (truth-of.ts) → observations (observe.ts) and tests (tests-of.ts). Every
 * step draws from a PRNG stream keyed by household or person index, so a household is the same whether generated
 * in sequence or alone.
 */
import type { CaseFact, ContactFact, QuarantineFact } from '../../lib/core/rules/facts.js';
import { baseStays } from './base-stays.js';
import { closeContactsOf, type Found } from './close-contacts.js';
import type { Ctx } from './ctx.js';
import { exposures } from './exposures.js';
import { homeOf } from './home-of.js';
import { confine, space, SPACE } from './life.js';
import { membersOf } from './members-of.js';
import { observe } from './observe.js';
import type { Plan } from './plan.js';
import { Rng, STREAM } from './prng.js';
import { testsOf } from './tests-of.js';
import { truthOf } from './truth-of.js';
import type { CityHousehold, CityPerson } from './types.js';

const H = 3600;
const D = 86400;

/** Generates household h completely. */
export function generateHousehold(ctx: Ctx, plan: Plan, h: number): CityHousehold {
	const members = membersOf(ctx, plan, h);
	const hm = homeOf(ctx, plan, h);
	const home = { x: hm.x, y: hm.y, space: space(SPACE.home, h), venues: ctx.layout.nearVenues[hm.compound]! };
	const end = ctx.m0 + ctx.days * D;
	let stays = members.map((m) => baseStays(ctx, plan, m, home));

	// investigation: close contacts (named, 7 d centralised quarantine), then their household (secondary)
	const found = closeContactsOf(ctx, plan, members, stays);
	const closeIdx = found.findIndex((f) => f !== null);
	const secondaryFrom = closeIdx >= 0 ? Math.min(...found.filter((f): f is Found => f !== null).map((f) => f.at)) : Infinity;
	stays = stays.map((s, i) => {
		const f = found[i];
		if (f) return confine(s, f.at, Math.min(end, f.at + 7 * D), { ...ctx.layout.hotel, space: space(SPACE.isolation, 1) });
		if (closeIdx >= 0 && !plan.persons.get(members[i]!.p)?.case) {
			const from = secondaryFrom + 6 * H;
			return from < end ? confine(s, from, Math.min(end, from + 7 * D), home) : s;
		}
		return s;
	});

	const people: CityPerson[] = members.map((m, i) => {
		const o = plan.persons.get(m.p);
		const c = o?.case;
		const ex = c ? [] : exposures(plan, m.p, stays[i]!);
		const obs = observe(
			new Rng(ctx.seed, STREAM.observations, m.p),
			new Rng(ctx.seed, STREAM.scans, m.p),
			m,
			stays[i]!,
			ctx.window,
			ctx.proj,
			ctx.towers,
			ctx.venueIds,
			ctx.venueKinds,
			ctx.structure.scanCoverage
		);
		const truth = truthOf(ctx, ex, c, obs.places);
		const f = found[i];
		const contacts: ContactFact[] = [];
		const quarantine: QuarantineFact[] = [];
		if (f) {
			contacts.push({ id: `${m.key}.k0`, kind: 'close', exposedAt: f.exposedAt, to: f.to.idNumber });
			quarantine.push({ id: `${m.key}.q0`, from: Math.floor(f.at), until: Math.floor(f.at + 7 * D) });
		} else if (closeIdx >= 0 && !c) {
			const k = found.findIndex((x) => x !== null);
			contacts.push({ id: `${m.key}.k0`, kind: 'secondary', exposedAt: Math.floor(found[k]!.at), to: members[k]!.idNumber });
		}
		const cases: CaseFact[] = c ? [{ id: `${m.key}.c0`, confirmedAt: Math.floor(c.confirmedAt) }] : [];
		const tests = testsOf(ctx, plan, m, hm.compound, c, f ?? null);
		return {
			key: m.key,
			idNumber: m.idNumber,
			name: m.name,
			sex: m.male ? 'male' : 'female',
			birthDate: m.birthDate,
			phone: m.phone,
			role: m.role,
			occupation: m.occupation,
			facts: { trajectory: obs.trajectory, visits: obs.visits, tests, cases, quarantine, contacts },
			truth
		};
	});
	return {
		id: `${hm.region}${String(h).padStart(8, '0')}`,
		region: hm.region,
		home: { lat: ctx.proj.toLat(hm.y), lon: ctx.proj.toLon(hm.x) },
		members: people
	};
}
