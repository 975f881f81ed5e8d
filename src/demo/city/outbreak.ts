/**
 * The outbreak plan, fixed before any household is generated (so households stay independent):
 *
 * - Index case A (infected outside the city) sells at the wet market (the site, venue V0). Infectious from 4 days
 *   before confirmation (第九版's tracing window) — day 3 10:00 — confirmed day 7 10:00 (days count local
 *   midnights from the window's start). The site is contaminated while A is infectious and closed (marked a
 *   high-risk area) two hours after A's confirmation; A's building becomes a medium-risk area at the same time.
 * - Market vendors (12 + 1 per 20 000 residents) live within 3 km of the site and work 05:30–18:00 daily.
 * - Secondary cases (1 + 2·√(residents / 10 000)) are shoppers infected at A's stall on days 4–6; confirmed
 *   5–7 days later, infectious from 4 days before. Their lives go on normally until then (work, errands), so
 *   exposure spreads to workplaces and venues across the city; from confirmation they are in hospital.
 * - The demo identities: 张伟 far from everything (green), 李娜 works in a shop in A's building (medium-risk stay:
 *   yellow), 王芳 buys vegetables at A's stall on day 5 and is named a close contact (red); her mother 王秀英 and
 *   son 王小明 (no phones) are then secondary contacts.
 */
import { dist } from './prng.js';
import { baseStays } from './base-stays.js';
import type { Ctx } from './ctx.js';
import { homeOf } from './home-of.js';
import { membersOf } from './members-of.js';
import type { CasePlan, Plan, PersonOverride, Presence } from './plan.js';
import { SITE_X, SITE_Y } from './layout.js';
import { space, SPACE } from './life.js';
import { Rng, STREAM } from './prng.js';
import type { RiskArea } from '../../lib/core/rules/facts.js';
import type { CityPersona } from './types.js';
import type { Member } from './household.js';

const H = 3600;
const D = 86400;

export interface OutbreakPlan {
	readonly plan: Plan;
	readonly riskAreas: RiskArea[];
	readonly personas: CityPersona[];
}

function square(ctx: Ctx, x: number, y: number, half: number): [number, number][] {
	const pt = (dx: number, dy: number): [number, number] => [
		Math.round(ctx.proj.toLon(x + dx) * 1e6) / 1e6,
		Math.round(ctx.proj.toLat(y + dy) * 1e6) / 1e6
	];
	return [pt(-half, -half), pt(half, -half), pt(half, half), pt(-half, half), pt(-half, -half)];
}

/** When the site is contaminated: from 4 days before A's confirmation (day 7 10:00 local) until 2 h after it. */
export function siteTimes(m0: number): { from: number; until: number; aConfirmed: number } {
	const aConfirmed = m0 + 7 * D + 10 * H;
	return { from: aConfirmed - 4 * D, until: aConfirmed + 2 * H, aConfirmed };
}

export function buildPlan(ctx: Ctx, householdCount: number, residents: number): OutbreakPlan {
	const rng = new Rng(ctx.seed, STREAM.outbreak, 0);
	const persons = new Map<number, PersonOverride>();
	const households = new Map<number, { compound?: number; region?: string; home?: { x: number; y: number } }>();
	const siteSpace = space(SPACE.venue, ctx.layout.siteVenue);
	const { from: siteFrom, until: siteUntil, aConfirmed } = siteTimes(ctx.m0);
	const plan: Plan = {
		persons,
		households,
		cases: [],
		presence: new Map(),
		siteSpace,
		siteFrom,
		siteUntil,
		massTested: new Set(ctx.layout.compounds.flatMap((c, i) => (dist(c.x - SITE_X, c.y - SITE_Y) < 2000 ? [i] : []))),
		massTests: [ctx.m0 + 8 * D + 8 * H, ctx.m0 + 10 * D + 8 * H]
	};
	const { layout } = ctx;
	const distToSite = (h: number) => {
		const hm = homeOf(ctx, plan, h);
		return dist(hm.x - SITE_X, hm.y - SITE_Y);
	};
	const used = new Set<number>([0, 1, 2]);
	/** a random household (index ≥ 3, unused) within `maxM` of the site, else the nearest of many tries */
	const householdNear = (maxM: number): number => {
		let best = -1;
		let bestD = Infinity;
		for (let i = 0; i < 4000; i++) {
			const h = rng.int(3, householdCount - 1);
			if (used.has(h)) continue;
			const d = distToSite(h);
			if (d < maxM) return h;
			if (d < bestD) {
				bestD = d;
				best = h;
			}
		}
		return best;
	};
	const adult = (h: number, ok: (m: Member) => boolean): Member | null => {
		const ms = membersOf(ctx, plan, h).filter(ok);
		return ms.length ? rng.pick(ms) : null;
	};
	const stall = () => {
		const a = rng.range(0, 2 * Math.PI);
		const r = 55 * Math.sqrt(rng.next());
		return { x: SITE_X + r * Math.cos(a), y: SITE_Y + r * Math.sin(a), space: siteSpace };
	};
	const vendorOk = (m: Member) => m.age >= 23 && m.age < 60 && m.phone !== null;

	// index case A
	let aMember: Member | null = null;
	let aHousehold = -1;
	while (!aMember) {
		aHousehold = householdNear(1500);
		used.add(aHousehold);
		aMember = adult(aHousehold, vendorOk);
	}
	const aStall = stall();
	const a: CasePlan = {
		p: aMember.p,
		h: aHousehold,
		kind: 'index',
		infectedAt: aConfirmed - 6 * D,
		infectiousFrom: siteFrom,
		confirmedAt: aConfirmed,
		idNumber: aMember.idNumber,
		key: aMember.key
	};
	plan.cases.push(a);
	persons.set(a.p, { vendor: true, work: aStall, case: a, found: 'never' });
	const aHome = homeOf(ctx, plan, aHousehold);

	// other vendors
	const nVendors = 12 + Math.floor(residents / 20_000);
	for (let v = 0; v < nVendors; v++) {
		const h = householdNear(3000);
		used.add(h);
		const m = adult(h, (x) => vendorOk(x) && !persons.has(x.p));
		if (m) persons.set(m.p, { vendor: true, work: stall() });
	}

	// secondary cases: shoppers at A's stall
	const nSecondary = 1 + Math.round(2 * Math.sqrt(residents / 10_000));
	for (let s = 0; s < nSecondary; s++) {
		const h = householdNear(3000);
		used.add(h);
		const m = adult(h, (x) => x.age >= 25 && x.age <= 75 && x.phone !== null && !persons.has(x.p));
		if (!m) continue;
		const day = rng.int(4, 6);
		const at = ctx.m0 + day * D + rng.range(7, 10.5) * H;
		const confirmedAt = at + rng.range(5, 7) * D;
		const c: CasePlan = {
			p: m.p,
			h,
			kind: 'secondary',
			infectedAt: at,
			infectiousFrom: confirmedAt - 4 * D,
			confirmedAt,
			idNumber: m.idNumber,
			key: m.key
		};
		plan.cases.push(c);
		const r = rng.range(0, 12);
		const t = rng.range(0, 2 * Math.PI);
		persons.set(m.p, {
			case: c,
			found: 'never',
			forced: [
				{ at, seconds: rng.range(20, 40) * 60, x: aStall.x + r * Math.cos(t), y: aStall.y + r * Math.sin(t), venue: layout.siteVenue }
			]
		});
	}

	// the demo identities (src/demo/identities.ts)
	const districtIdx = (code: string) => layout.regions.indexOf(code);
	const farthestCompound = (code: string): number => {
		const d = districtIdx(code);
		let best = 0;
		let bestD = -1;
		layout.compounds.forEach((c, i) => {
			const far = dist(c.x - SITE_X, c.y - SITE_Y);
			if ((d < 0 || layout.districtOf(c.x, c.y) === d) && far > bestD) {
				bestD = far;
				best = i;
			}
		});
		return best;
	};
	const nearestWorkplace = (x: number, y: number) => {
		let best = 0;
		layout.workplaces.forEach((w, i) => {
			if (dist(w.x - x, w.y - y) < dist(layout.workplaces[best]!.x - x, layout.workplaces[best]!.y - y)) best = i;
		});
		const w = layout.workplaces[best]!;
		return { x: w.x + 8, y: w.y - 5, space: space(SPACE.work, best * 4) };
	};
	const personaRegion = (code: string, compound: number) =>
		districtIdx(code) >= 0 ? code : layout.regions[layout.districtOf(layout.compounds[compound]!.x, layout.compounds[compound]!.y)]!;
	// 张伟: 南山, far from the site, works near home
	const c0 = farthestCompound('440305');
	households.set(0, { compound: c0, region: personaRegion('440305', c0) });
	const h0 = homeOf(ctx, plan, 0);
	persons.set(ctx.offsets[0]!, {
		persona: {
			name: '张伟',
			idNumber: '440305199003071236',
			phone: '13800138000',
			male: true,
			birthYear: 1990,
			role: 'head',
			occupation: 'worker'
		},
		work: nearestWorkplace(h0.x, h0.y),
		found: 'never'
	});
	// 李娜: lives far away in 福田, works in a shop in A's building (the medium-risk area)
	const c1 = farthestCompound('440304');
	households.set(1, { compound: c1, region: personaRegion('440304', c1) });
	persons.set(ctx.offsets[1]!, {
		persona: {
			name: '李娜',
			idNumber: '440304198511124567',
			phone: '13900139000',
			male: false,
			birthYear: 1985,
			role: 'head',
			occupation: 'worker'
		},
		work: { x: aHome.x + 30, y: aHome.y + 20, space: space(SPACE.work, 900_001) },
		found: 'never'
	});
	// 王芳's household in 宝安; she works near the site and shops at A's stall at lunchtime on day 5
	const c2 = farthestCompound('440306');
	households.set(2, { compound: c2, region: personaRegion('440306', c2) });
	const p2 = ctx.offsets[2]!;
	persons.set(p2, {
		persona: {
			name: '王芳',
			idNumber: '440306197805207892',
			phone: '13700137000',
			male: false,
			birthYear: 1978,
			role: 'head',
			occupation: 'worker'
		},
		work: nearestWorkplace(SITE_X + 400, SITE_Y + 300),
		forced: [{ at: ctx.m0 + 5 * D + 12.25 * H, seconds: 25 * 60, x: aStall.x + 6, y: aStall.y - 4, venue: layout.siteVenue }],
		found: 'always'
	});
	persons.set(p2 + 1, {
		persona: {
			name: '王秀英',
			idNumber: '440306195002142344',
			phone: null,
			male: false,
			birthYear: 1950,
			role: 'parent',
			occupation: 'retired'
		},
		found: 'never'
	});
	persons.set(p2 + 2, {
		persona: {
			name: '王小明',
			idNumber: '440305201806015676',
			phone: null,
			male: true,
			birthYear: 2018,
			role: 'child',
			occupation: 'preschool'
		},
		found: 'never'
	});
	// case presence while infectious, from the cases' own generated lives
	for (const c of plan.cases) {
		const hm = homeOf(ctx, plan, c.h);
		const m = membersOf(ctx, plan, c.h).find((x) => x.p === c.p)!;
		const stays = baseStays(ctx, plan, m, { x: hm.x, y: hm.y, space: space(SPACE.home, c.h), venues: layout.nearVenues[hm.compound]! });
		for (const s of stays) {
			const from = Math.max(s.from, c.infectiousFrom);
			const until = Math.min(s.until, c.confirmedAt);
			if (until <= from || s.space === 0 || Math.floor(s.space / 100_000_000) === SPACE.isolation) continue;
			const list = plan.presence.get(s.space) ?? [];
			list.push({ x: s.x, y: s.y, from, until, c } satisfies Presence);
			plan.presence.set(s.space, list);
		}
	}
	plan.cases.sort((x, y) => x.confirmedAt - y.confirmedAt);

	const riskAreas: RiskArea[] = [
		{ id: 'RA-high-site', level: 'high', shape: { type: 'polygon', ring: square(ctx, SITE_X, SITE_Y, 60) }, from: siteUntil },
		{ id: 'RA-medium-a-building', level: 'medium', shape: { type: 'polygon', ring: square(ctx, aHome.x, aHome.y, 60) }, from: siteUntil }
	];
	const hhId = (h: number) => `${homeOf(ctx, plan, h).region}${String(h).padStart(8, '0')}`;
	const personas: CityPersona[] = [
		{
			name: '张伟',
			idNumber: '440305199003071236',
			phone: '13800138000',
			region: homeOf(ctx, plan, 0).region,
			householdId: hhId(0),
			intended: 'green',
			why: 'lives and works in the far west; no exposure, no contact'
		},
		{
			name: '李娜',
			idNumber: '440304198511124567',
			phone: '13900139000',
			region: homeOf(ctx, plan, 1).region,
			householdId: hhId(1),
			intended: 'yellow',
			why: 'works in a shop inside the medium-risk area (the index case’s building)'
		},
		{
			name: '王芳',
			idNumber: '440306197805207892',
			phone: '13700137000',
			region: homeOf(ctx, plan, 2).region,
			householdId: hhId(2),
			intended: 'red',
			why: 'bought vegetables at the index case’s stall on day 5: named close contact, centralised quarantine'
		},
		{
			name: '王秀英',
			idNumber: '440306195002142344',
			phone: null,
			region: homeOf(ctx, plan, 2).region,
			householdId: hhId(2),
			intended: 'yellow',
			why: '王芳’s mother, no phone (proxy member): secondary contact'
		},
		{
			name: '王小明',
			idNumber: '440305201806015676',
			phone: null,
			region: homeOf(ctx, plan, 2).region,
			householdId: hhId(2),
			intended: 'yellow',
			why: '王芳’s son, no phone (proxy member): secondary contact'
		}
	];
	return { plan, riskAreas, personas };
}
