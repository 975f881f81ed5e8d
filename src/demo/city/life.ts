/**
 * Where each person really is, minute by minute, as a list of stays (true positions, before any GPS/cell noise).
 * Weekdays: home → work/school (→ lunch) → maybe an errand → home; weekends and the retired: the morning market,
 * parks, malls. Moving between places is a transit stay at the midpoint of the trip (that is where "passing
 * near" happens). The outbreak plan can force visits (the infections at the market) and isolation (hospital,
 * quarantine hotel, home observation).
 */
import { dist } from './prng.js';
import type { Layout, Place } from './layout.js';
import { clampX, clampY } from './layout.js';
import type { Member } from './household.js';
import type { Rng } from './prng.js';
import type { PlaceKind } from './types.js';

/** Space kinds: exposure needs the same indoor space (walls separate flats and shops). */
export const SPACE = { transit: 0, home: 1, work: 2, school: 3, venue: 4, isolation: 5 } as const;
export const space = (kind: number, index: number) => kind * 100_000_000 + index;
export const spaceKind = (s: number) => Math.floor(s / 100_000_000);
/** The kind of place of a space kind (a venue's is its venue kind, which the space kind alone does not say). */
export const placeOfKind = (kind: number): PlaceKind =>
	kind === SPACE.home
		? 'home'
		: kind === SPACE.work
			? 'work'
			: kind === SPACE.school
				? 'classroom'
				: kind === SPACE.isolation
					? 'isolation'
					: 'transit';

export interface Stay {
	x: number;
	y: number;
	from: number;
	until: number;
	space: number;
	/** venue index (guarded place) or −1 */
	venue: number;
}

export interface Forced {
	/** start (Unix s) */
	readonly at: number;
	readonly seconds: number;
	readonly x: number;
	readonly y: number;
	readonly venue: number;
}

export interface LifeContext {
	readonly layout: Layout;
	/** first local (UTC+8) midnight at or before the window start */
	readonly m0: number;
	readonly days: number;
	/** market closed (outbreak site marked high-risk) from this time */
	readonly siteClosedAt: number;
}

export interface PersonPlan {
	/** true workplace position and space (for workers), or school */
	readonly work: { x: number; y: number; space: number; r: number; venues: readonly number[] } | null;
	readonly vendor: boolean;
	readonly forced: readonly Forced[];
}

const H = 3600;
const LOCAL = 8 * H;

/** Local day of week (0 = Sunday) of a local midnight. */
export function dayOfWeek(localMidnight: number): number {
	return (Math.floor((localMidnight + LOCAL) / 86400) + 4) % 7;
}

function travelSeconds(d: number): number {
	return d < 1200 ? d / 1.2 : 600 + d / 7;
}

class Timeline {
	readonly stays: Stay[] = [];
	private cur: Stay;

	constructor(
		private readonly rng: Rng,
		home: { x: number; y: number; space: number },
		from: number
	) {
		this.cur = { x: home.x, y: home.y, from, until: Infinity, space: home.space, venue: -1 };
	}

	/** when the current stay is planned to end (its arrival if open-ended) */
	get free(): number {
		return Number.isFinite(this.cur.until) ? this.cur.until : this.cur.from;
	}

	/** Leave the current place at `departAt` (not before arriving), go to (x, y) and stay `seconds`. */
	go(x: number, y: number, sp: number, venue: number, departAt: number, seconds: number): void {
		const depart = Math.max(departAt, this.cur.from + 300);
		this.cur.until = depart;
		this.stays.push(this.cur);
		const d = dist(x - this.cur.x, y - this.cur.y);
		let t = depart;
		// short walks are folded into the next stay; trips by vehicle get a transit stay at their midpoint
		if (d <= 1200) t += travelSeconds(d);
		else {
			const dt = travelSeconds(d);
			const jitter = this.rng.range(-150, 150);
			this.stays.push({
				x: clampX((x + this.cur.x) / 2 + jitter),
				y: clampY((y + this.cur.y) / 2 + jitter),
				from: t,
				until: t + dt,
				space: 0,
				venue: -1
			});
			t += dt;
		}
		this.cur = { x, y, from: t, until: t + seconds, space: sp, venue };
	}

	/** Stay at the current place until `t` (the next go() departs then). */
	end(t: number): Stay[] {
		this.cur.until = Math.max(t, this.cur.from + 1);
		this.stays.push(this.cur);
		return this.stays;
	}
}

function inPlace(rng: Rng, p: Place): [number, number] {
	const a = rng.range(0, 2 * Math.PI);
	const r = p.r * Math.sqrt(rng.next());
	return [p.x + r * Math.cos(a), p.y + r * Math.sin(a)];
}

/**
 * The base life of one person over the window: returns stays from m0 to m0 + days, contiguous.
 * `home` is the flat's position; `homeSpace` the household's space id.
 */
export function lifeOf(
	ctx: LifeContext,
	rng: Rng,
	m: Member,
	home: { x: number; y: number; space: number; venues: readonly number[] },
	plan: PersonPlan
): Stay[] {
	const { layout } = ctx;
	const tl = new Timeline(rng, home, ctx.m0);
	const venue = (i: number, departAt: number, seconds: number) => {
		const v = layout.venues[i]!;
		const [x, y] = inPlace(rng, { x: v.x, y: v.y, r: v.radiusM });
		tl.go(x, y, space(4, i), i, departAt, seconds);
	};
	const homeVenues = home.venues;
	/** a uniformly chosen venue of the kinds (reservoir sampling: no allocation per call) */
	const pickVenue = (list: readonly number[], kinds: readonly string[], t: number): number | null => {
		let chosen: number | null = null;
		let n = 0;
		for (const i of list) {
			if (!kinds.includes(layout.venues[i]!.kind) || (i === layout.siteVenue && t >= ctx.siteClosedAt)) continue;
			if (rng.next() * ++n < 1) chosen = i;
		}
		return chosen;
	};
	const goHome = (departAt: number) => tl.go(home.x, home.y, home.space, -1, departAt, 0);
	const forced = [...plan.forced].sort((a, b) => a.at - b.at);
	let fi = 0;

	for (let d = 0; d < ctx.days; d++) {
		const day = ctx.m0 + d * 86400;
		const dow = dayOfWeek(day);
		const weekend = dow === 0 || dow === 6;
		// a forced visit today replaces the morning: home → forced place → continue the day from there
		let morningFreeFrom = day + 6 * H;
		while (fi < forced.length && forced[fi]!.at < day + 86400) {
			const f = forced[fi++]!;
			if (f.at < day) continue;
			tl.go(
				f.x,
				f.y,
				f.venue >= 0 ? space(4, f.venue) : space(2, 999_999),
				f.venue,
				f.at - travelSeconds(dist(f.x - home.x, f.y - home.y)),
				f.seconds
			);
			morningFreeFrom = f.at + f.seconds;
			goHome(morningFreeFrom);
		}
		const occ = m.occupation;
		if (plan.vendor) {
			// market vendors: every day 05:30–18:00 at the stall until the market is closed
			const open = day + 5.5 * H + rng.range(0, 1800);
			if (open < ctx.siteClosedAt && plan.work) {
				tl.go(plan.work.x, plan.work.y, plan.work.space, 0, open - 1200, 12.5 * H);
				goHome(Math.min(ctx.siteClosedAt, day + 18 * H + rng.range(0, 1800)));
			}
			continue;
		}
		const works = (occ === 'worker' && (!weekend || (dow === 6 && rng.chance(0.2)))) || (occ === 'student' && !weekend);
		if (works && plan.work) {
			const w = plan.work;
			const leave = Math.max(morningFreeFrom, day + (occ === 'student' ? 7 : 7.5) * H + rng.range(0, 1.25 * H));
			const endAt = day + (occ === 'student' ? 16.5 : 17.5) * H + rng.range(0, 2 * H);
			const [wx, wy] = [w.x, w.y];
			if (occ === 'worker' && rng.chance(0.3) && w.venues.length) {
				tl.go(wx, wy, w.space, -1, leave, 0);
				venue(rng.pick(w.venues), day + 12 * H + rng.range(0, 1800), rng.range(30, 50) * 60);
				tl.go(wx, wy, w.space, -1, tl.free, 0);
			} else {
				tl.go(wx, wy, w.space, -1, leave, 0);
			}
			if (rng.chance(0.35)) {
				const fromWork = rng.chance(0.3) && w.venues.length;
				const v = fromWork ? rng.pick(w.venues) : pickVenue(homeVenues, ['supermarket', 'restaurant', 'mall', 'gym', 'market'], endAt);
				if (v !== null) venue(v, endAt, rng.range(45, 100) * 60);
			}
			goHome(Math.max(endAt, tl.free));
			continue;
		}
		if (occ === 'preschool') continue;
		// a day off: the elderly go to the morning market; others go out once or twice
		const retired = occ === 'retired' || occ === 'at-home';
		if (retired && rng.chance(0.5)) {
			const t = Math.max(morningFreeFrom, day + 7 * H + rng.range(0, 1.5 * H));
			const v = pickVenue(homeVenues, ['market', 'supermarket'], t);
			if (v !== null) {
				venue(v, t, rng.range(40, 80) * 60);
				goHome(tl.free);
			}
		}
		const outings = retired ? (rng.chance(0.35) ? 1 : 0) : rng.chance(0.6) ? (rng.chance(0.3) ? 2 : 1) : 0;
		let t = Math.max(morningFreeFrom, day + (retired ? 14 : 10) * H + rng.range(0, 2 * H));
		for (let o = 0; o < outings; o++) {
			const v = pickVenue(
				homeVenues,
				retired ? ['park', 'supermarket', 'hospital'] : ['mall', 'restaurant', 'park', 'gym', 'supermarket'],
				t
			);
			if (v === null) break;
			venue(v, t, rng.range(60, 180) * 60);
			goHome(tl.free);
			t = tl.free + rng.range(1, 3) * H;
		}
	}
	return tl.end(ctx.m0 + ctx.days * 86400);
}

/**
 * Replaces everything from `from` to `until` by a stay at (x, y) in `sp` (isolation, quarantine, or home
 * observation); stays before and after are cut at the boundaries.
 */
export function confine(stays: readonly Stay[], from: number, until: number, at: { x: number; y: number; space: number }): Stay[] {
	const out: Stay[] = [];
	for (const s of stays) {
		if (s.until <= from || s.from >= until) out.push(s);
		else {
			if (s.from < from) out.push({ ...s, until: from });
			if (s.until > until) out.push({ ...s, from: until });
		}
	}
	out.push({ x: at.x, y: at.y, from, until, space: at.space, venue: -1 });
	return out.sort((a, b) => a.from - b.from);
}
