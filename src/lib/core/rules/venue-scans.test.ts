import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import { evaluate } from './evaluate.js';
import type { TrajectoryPoint, VenueVisit, WorldFacts } from './facts.js';
import { BASE, DAY, MIN, NOW, offset, person, stay, twoTowers, world } from './fixtures.js';
import { matchCompanions } from './match-companions.js';
import type { RuleSet } from './rules-schema.js';
import { compareStays, scanStays } from './scan-stays.js';
import { buildWorldIndex } from './spatial-index.js';
import { segments } from './trajectory.js';

/** the default rules with the precise method's scan stay set (0: scans not used) */
function rulesWith(scanStayMinutes: number): RuleSet {
	const c = DEFAULT_RULES.rules['spatiotemporal-companion'];
	return {
		...DEFAULT_RULES,
		rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...c, precise: { ...c.precise, scanStayMinutes } } }
	};
}
const WITH = rulesWith(40);
const WITHOUT = rulesWith(0);
const T = NOW - 2 * DAY;
const { A, CELLS } = twoTowers(3000, 800);
const visit = (id: string, venueId: string, at: number): VenueVisit => ({ id, venueId, at });
/** a stay known only to cell A (800 m radius), then a point far away */
function cellStay(prefix: string, at: number, minutes: number): TrajectoryPoint[] {
	const far = offset(BASE, 0, 30_000);
	return [
		{ id: `${prefix}-a`, at, lat: A.lat, lon: A.lon, accuracyM: 800, cell: 'A' },
		{ id: `${prefix}-b`, at: at + minutes * MIN, lat: far.lat, lon: far.lon, accuracyM: 800 }
	];
}
function theWorld(
	c: { points?: TrajectoryPoint[]; visits?: VenueVisit[] },
	timeline = { ref: 'case-1', confirmedAt: NOW - DAY }
): WorldFacts {
	return world({
		caseTrajectories: [{ ref: 'case-1', points: c.points ?? [] }],
		caseVisits: [{ ref: 'case-1', visits: c.visits ?? [] }],
		cells: CELLS,
		cases: [timeline]
	});
}
function match(rules: RuleSet, w: WorldFacts, p: { points?: TrajectoryPoint[]; visits?: VenueVisit[] }, ref = 'p-1') {
	const index = buildWorldIndex(w, rules);
	return matchCompanions(segments(p.points ?? [], index.maxGapS), index, rules.rules['spatiotemporal-companion'], ref, NOW, p.visits ?? []);
}

describe('scanStays', () => {
	it('a scan is a stay of stayS, cut at the next scan and to the window', () => {
		const s = scanStays([visit('b', 'V2', T + 10 * MIN), visit('a', 'V1', T), visit('c', 'V1', T + 2 * DAY)], 40 * MIN, {
			from: T,
			until: T + 2 * DAY + 5 * MIN
		});
		expect(s.map((x) => [x.id, x.venueId, (x.until - x.from) / MIN])).toEqual([
			['a', 'V1', 10],
			['b', 'V2', 40],
			['c', 'V1', 5]
		]);
	});
	it('compareStays: same venue overlapping is exact, different venues are apart', () => {
		const mine = scanStays([visit('m1', 'V1', T), visit('m2', 'V2', T + DAY)], 40 * MIN);
		const theirs = scanStays([visit('t1', 'V1', T + 10 * MIN), visit('t2', 'V3', T + DAY + 20 * MIN)], 40 * MIN);
		const c = compareStays(mine, theirs);
		expect(c.same).toEqual([{ from: T + 10 * MIN, until: T + 40 * MIN, mine: 'm1', theirs: 't1' }]);
		expect(c.apart).toEqual([{ from: T + DAY + 20 * MIN, until: T + DAY + 40 * MIN }]);
	});
});

describe('venue scans in the precise companion rule', () => {
	it('same venue, entries 10 min apart: 30 min of exact co-presence, with no trajectory on either side', () => {
		const w = theWorld({ visits: [visit('cv', 'V1', T + 10 * MIN)] });
		const found = match(WITH, w, { visits: [visit('pv', 'V1', T)] });
		expect(found.map((m) => [m.caseRef, m.overlapMinutes, m.qualifies, m.pointIds, m.casePointIds])).toEqual([
			['case-1', 30, true, ['pv'], ['cv']]
		]);
		expect(match(WITHOUT, w, { visits: [visit('pv', 'V1', T)] })).toEqual([]);
	});

	it('entries 35 min apart (5 min) add to 6 min of fixes elsewhere with the same case: 11 min qualifies', () => {
		const place = offset(BASE, 5000, 0);
		const w = theWorld({
			visits: [visit('cv', 'V1', T + 35 * MIN)],
			points: stay(place, T - 3 * 3600, 6, { prefix: 'c', away: offset(BASE, -30_000, 0) })
		});
		const p = { visits: [visit('pv', 'V1', T)], points: stay(place, T - 3 * 3600, 6) };
		expect(match(WITH, w, p).map((m) => [m.overlapMinutes, m.qualifies])).toEqual([[11, true]]);
		expect(match(WITHOUT, w, p).map((m) => [m.overlapMinutes, m.qualifies])).toEqual([[6, false]]);
	});

	it('scanned into different venues: 40 min in the same cell count nothing; without scans they count 20 min', () => {
		const w = theWorld({ points: cellStay('c', T, 40), visits: [visit('cv', 'V2', T)] });
		const p = { points: cellStay('p', T, 40), visits: [visit('pv', 'V1', T)] };
		expect(match(WITH, w, p)).toEqual([]);
		expect(match(WITHOUT, w, p).map((m) => [m.overlapMinutes, m.qualifies])).toEqual([[20, true]]);
	});

	it('the case scanned, the person not (not everyone scans): the cell time counts as before', () => {
		const w = theWorld({ points: cellStay('c', T, 40), visits: [visit('cv', 'V2', T)] });
		expect(match(WITH, w, { points: cellStay('p', T, 40) }).map((m) => [m.overlapMinutes, m.qualifies])).toEqual([[20, true]]);
	});

	it('only the part of the cell time the scans contradict is lost', () => {
		// the person's scan stay at V1 is cut at 10 min by their scan at V3 … which the case never entered either
		const w = theWorld({ points: cellStay('c', T, 60), visits: [visit('cv', 'V2', T)] });
		const p = { points: cellStay('p', T, 60), visits: [visit('pv', 'V1', T), visit('pv2', 'V1', T + 50 * MIN)] };
		// apart [T, T + 40 min) (the case's stay); 20 min of cell time left × 0.5
		expect(match(WITH, w, p).map((m) => m.overlapMinutes)).toEqual([10]);
	});

	it('time the scans count is not counted again from fixes at the same place', () => {
		const w = theWorld({ points: stay(BASE, T, 30, { prefix: 'c', away: offset(BASE, -30_000, 0) }), visits: [visit('cv', 'V1', T)] });
		const found = match(WITH, w, { points: stay(BASE, T, 30), visits: [visit('pv', 'V1', T)] });
		expect(found.map((m) => m.overlapMinutes)).toEqual([40]);
	});

	it("a case's scans outside its infectious window are no evidence; a person is never their own companion", () => {
		const early = theWorld({ visits: [visit('cv', 'V1', NOW - 9 * DAY)] }, { ref: 'case-1', confirmedAt: NOW - DAY });
		expect(match(WITH, early, { visits: [visit('pv', 'V1', NOW - 9 * DAY)] })).toEqual([]);
		const w = theWorld({ visits: [visit('cv', 'V1', T)] });
		expect(match(WITH, w, { visits: [visit('pv', 'V1', T)] }, 'case-1')).toEqual([]);
	});

	it('evaluate: someone without a phone, scanned 20 min after a case at the same venue, is a companion (yellow)', () => {
		const w = theWorld({ visits: [visit('cv', 'V1', T)] });
		// the venue co-visit rule off: the colour must come from the companion rule's scans
		const rules: RuleSet = { ...WITH, rules: { ...WITH.rules, 'venue-co-visit': { ...WITH.rules['venue-co-visit'], active: false } } };
		const e = evaluate(rules, person({ visits: [visit('pv', 'V1', T + 20 * MIN)] }), buildWorldIndex(w, rules), NOW);
		expect(e.colour).toBe('yellow');
		expect(e.reasons).toEqual(['spatiotemporal-companion']);
		expect(e.factsUsed).toEqual(expect.arrayContaining(['pv', 'cv']));
		const off: RuleSet = { ...rules, rules: { ...rules.rules, 'spatiotemporal-companion': WITHOUT.rules['spatiotemporal-companion'] } };
		expect(evaluate(off, person({ visits: [visit('pv', 'V1', T + 20 * MIN)] }), buildWorldIndex(w, off), NOW).colour).toBe('green');
	});

	it('an index built for another scan stay is refused', () => {
		expect(() => evaluate(WITH, person(), buildWorldIndex(theWorld({}), WITHOUT), NOW)).toThrow(RangeError);
	});
});
