/**
 * One household from start to finish: members (household.ts) → home and workplaces → true stays (life.ts) →
 * ground-truth exposure against the outbreak's case presence → what the investigation finds (close and
 * secondary contacts, quarantine) → confinement → exposure again on the final stays → observations
 * (observe.ts) and tests. Every step draws from a PRNG stream keyed by household or person index, so a
 * household is the same whether generated in sequence or alone.
 */
import { dist } from './prng.js';
import type { CaseFact, ContactFact, QuarantineFact, TestFact } from '../../lib/core/rules/facts.js';
import { composeMembers, type Member } from './household.js';
import { personaVariant } from './people.js';
import { type Place, type Projection, type Towers } from './layout.js';
import { confine, lifeOf, space, SPACE, spaceKind, type Forced, type LifeContext, type PersonPlan, type Stay } from './life.js';
import { observe } from './observe.js';
import { Rng } from './prng.js';
import type { CityHousehold, CityPerson, GroundTruth, PlaceKind, VenueKind } from './types.js';
import type { CityStructure } from './structure.js';

/** Exposure: same indoor space, true positions within this distance … */
export const EXPOSURE_DISTANCE_M = 25;
/** … overlapping at least this long (第九版's close-contact notion of sharing a room; see docs/demo-city.md). */
export const EXPOSURE_MIN_S = 15 * 60;

const H = 3600;
const D = 86400;
const STREAM_HOME = 6;
const STREAM_LIFE = 7;
const STREAM_OBS = 8;
const STREAM_TESTS = 9;
const STREAM_INVESTIGATION = 10;
const STREAM_SCANS = 11;

export interface CasePlan {
	readonly p: number;
	readonly h: number;
	readonly kind: 'index' | 'secondary';
	readonly infectedAt: number;
	readonly infectiousFrom: number;
	readonly confirmedAt: number;
	idNumber: string;
	key: string;
}

export interface PersonOverride {
	vendor?: boolean;
	work?: { x: number; y: number; space: number };
	forced?: Forced[];
	case?: CasePlan;
	/** investigation: always / never names this person as a close contact when exposed */
	found?: 'always' | 'never';
	persona?: {
		name: string;
		idNumber: string;
		phone: string | null;
		male: boolean;
		birthYear: number;
		role: Member['role'];
		occupation: Member['occupation'];
	};
}

export interface HouseholdOverride {
	compound?: number;
	region?: string;
	/** exact home position (m) */
	home?: { x: number; y: number };
}

export interface Presence {
	readonly x: number;
	readonly y: number;
	readonly from: number;
	readonly until: number;
	readonly c: CasePlan;
}

export interface Plan {
	readonly persons: Map<number, PersonOverride>;
	readonly households: Map<number, HouseholdOverride>;
	readonly cases: CasePlan[];
	/** case presence while infectious, by space id */
	readonly presence: Map<number, Presence[]>;
	readonly siteSpace: number;
	readonly siteFrom: number;
	readonly siteUntil: number;
	/** compounds whose residents were mass-tested (within 2 km of the site) */
	readonly massTested: ReadonlySet<number>;
	readonly massTests: readonly number[];
}

export interface Ctx extends LifeContext {
	readonly seed: number;
	/** CityOptions.idBase, CityOptions.personaArea */
	readonly idBase?: number;
	readonly personaArea?: string | null;
	readonly sizes: Uint8Array;
	readonly offsets: Float64Array;
	readonly startYear: number;
	readonly window: { from: number; until: number };
	readonly proj: Projection;
	readonly towers: Towers;
	readonly venueIds: readonly string[];
	readonly venueKinds: readonly VenueKind[];
	/** compounds, venue mix, scan coverage, phones, towers (structure.ts) */
	readonly structure: CityStructure;
}

export function homeOf(ctx: Ctx, plan: Plan | null, h: number): { compound: number; x: number; y: number; region: string } {
	const o = plan?.households.get(h);
	const rng = new Rng(ctx.seed, STREAM_HOME, h);
	const compound = o?.compound ?? rng.int(0, ctx.layout.compounds.length - 1);
	const c = ctx.layout.compounds[compound]!;
	const a = rng.range(0, 2 * Math.PI);
	const r = c.r * Math.sqrt(rng.next());
	const x = o?.home?.x ?? c.x + r * Math.cos(a);
	const y = o?.home?.y ?? c.y + r * Math.sin(a);
	return { compound, x, y, region: o?.region ?? ctx.layout.regions[ctx.layout.districtOf(c.x, c.y)]! };
}

export function membersOf(ctx: Ctx, plan: Plan | null, h: number): Member[] {
	const p0 = ctx.offsets[h]!;
	const members = composeMembers(ctx.seed, h, ctx.sizes[h]!, p0, ctx.startYear, ctx.structure, ctx.idBase ?? 0);
	if (!plan) return members;
	return members.map((m) => {
		const pr = plan.persons.get(m.p)?.persona;
		if (!pr) return m;
		const who = ctx.personaArea ? personaVariant(ctx.personaArea, pr.idNumber, pr.phone) : pr;
		return {
			...m,
			name: pr.name,
			idNumber: who.idNumber,
			birthDate: `${pr.idNumber.slice(6, 10)}-${pr.idNumber.slice(10, 12)}-${pr.idNumber.slice(12, 14)}`,
			phone: who.phone,
			male: pr.male,
			age: ctx.startYear - 1 - pr.birthYear,
			role: pr.role,
			occupation: pr.occupation,
			gpsShare: pr.phone ? 0.85 : 0
		};
	});
}

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
	const rng = new Rng(ctx.seed, STREAM_LIFE, m.p);
	const pp = personPlan(ctx, plan, m, home, rng);
	let stays = lifeOf(ctx, rng, m, home, pp);
	const c = plan?.persons.get(m.p)?.case;
	if (c) stays = confine(stays, c.confirmedAt, ctx.m0 + ctx.days * D, { ...ctx.layout.hospital, space: space(SPACE.isolation, 0) });
	return stays;
}

interface Exposure {
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

/** The kind of place of a space (venues by their kind). */
function placeOf(ctx: Ctx, sp: number): PlaceKind {
	const k = spaceKind(sp);
	if (k === SPACE.venue) return ctx.venueKinds[sp - space(SPACE.venue, 0)] ?? 'transit';
	return k === SPACE.home
		? 'home'
		: k === SPACE.work
			? 'work'
			: k === SPACE.school
				? 'classroom'
				: k === SPACE.isolation
					? 'isolation'
					: 'transit';
}

function truthOf(ctx: Ctx, ex: readonly Exposure[], c: CasePlan | undefined, pointPlaces: string): GroundTruth {
	if (c)
		return c.kind === 'secondary'
			? { exposed: true, infected: true, exposure: { kind: 'site', at: c.infectedAt, seconds: 0, place: 'market' }, pointPlaces }
			: { exposed: true, infected: true, pointPlaces };
	const real = ex.filter((e) => e.kind !== 'shared').sort((a, b) => a.at - b.at);
	const first = real[0];
	return first
		? {
				exposed: true,
				infected: false,
				exposure: { kind: first.kind as 'companion' | 'site', at: first.at, seconds: first.seconds, place: placeOf(ctx, first.space) },
				pointPlaces
			}
		: { exposed: false, infected: false, pointPlaces };
}

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

interface Found {
	readonly at: number;
	readonly exposedAt: number;
	readonly to: CasePlan;
}

/** Generates household h completely. */
export function generateHousehold(ctx: Ctx, plan: Plan, h: number): CityHousehold {
	const members = membersOf(ctx, plan, h);
	const hm = homeOf(ctx, plan, h);
	const home = { x: hm.x, y: hm.y, space: space(SPACE.home, h), venues: ctx.layout.nearVenues[hm.compound]! };
	const end = ctx.m0 + ctx.days * D;
	let stays = members.map((m) => baseStays(ctx, plan, m, home));

	// investigation: close contacts (named, 7 d centralised quarantine), then their household (secondary)
	const found: (Found | null)[] = members.map((m, i) => {
		const o = plan.persons.get(m.p);
		if (o?.case || o?.found === 'never') return null;
		const rng = new Rng(ctx.seed, STREAM_INVESTIGATION, m.p);
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
			new Rng(ctx.seed, STREAM_OBS, m.p),
			new Rng(ctx.seed, STREAM_SCANS, m.p),
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

/**
 * Nucleic-acid tests: routine screening (常态化核酸: about 60 % of workers and students every third day, others
 * now and then), the mass tests of the compounds around the site, the quarantine schedule of close contacts
 * (days 1, 2, 3, 5, 7), and a case's positive sample 6 h before confirmation. Negative unless the person is a
 * case sampled after becoming infectious (those samples are left out: a case is found by its first positive).
 */
function testsOf(ctx: Ctx, plan: Plan, m: Member, compound: number, c: CasePlan | undefined, f: Found | null): TestFact[] {
	const rng = new Rng(ctx.seed, STREAM_TESTS, m.p);
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
