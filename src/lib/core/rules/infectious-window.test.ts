import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import { evaluate } from './evaluate.js';
import type { CaseFact, TestFact, TrajectoryPoint, WorldFacts } from './facts.js';
import { BASE, DAY, HOUR, NOW, offset, person, stay, world } from './fixtures.js';
import { caseTimeline, infectiousWindow } from './infectious-window.js';
import { validateRules, type RuleSet } from './rules-schema.js';
import { buildWorldIndex, indexFits } from './spatial-index.js';

const PLACE = offset(BASE, 1000, 1000);
const FAR = offset(BASE, 0, -40_000);
/** the case's symptoms began 3 days ago; confirmed (and isolated) 1 day ago */
const ONSET = NOW - 3 * DAY;
const CONFIRMED = NOW - DAY;
const CASE: CaseFact = { id: 'case:1', confirmedAt: CONFIRMED, onsetAt: ONSET };

/** The case and the person stay together at PLACE for an hour from `at`; the world knows the case's course. */
function together(at: number, cases: readonly CaseFact[] = [CASE], tests: readonly TestFact[] = []) {
	const casePoints: TrajectoryPoint[] = stay(PLACE, at, 60, { prefix: 'case', away: FAR });
	const w: WorldFacts = world({
		caseTrajectories: [{ ref: 'case-1', points: casePoints }],
		caseVisits: [{ ref: 'case-1', visits: [{ id: 'cv', venueId: 'venue-1', at }] }],
		cases: [caseTimeline(person({ ref: 'case-1', cases, tests }))]
	});
	const p = person({ trajectory: stay(PLACE, at, 60, { prefix: 'me' }), visits: [{ id: 'v', venueId: 'venue-1', at: at + 5 * 60 }] });
	return { w, p };
}

const colourOf = (at: number, rules: RuleSet = DEFAULT_RULES, cases?: readonly CaseFact[], tests?: readonly TestFact[]) => {
	const { w, p } = together(at, cases, tests);
	return evaluate(rules, p, buildWorldIndex(w, rules), NOW);
};

describe('infectiousWindow', () => {
	it('counts from onset minus the look-back until confirmation', () => {
		expect(infectiousWindow({ ref: 'c', onsetAt: ONSET, confirmedAt: CONFIRMED }, 4)).toEqual({ from: ONSET - 4 * DAY, until: CONFIRMED });
	});
	it('without onset, from the first positive sample; until isolation when it came first', () => {
		const t = caseTimeline(
			person({
				ref: 'c',
				cases: [{ id: 'c', confirmedAt: CONFIRMED, isolatedAt: CONFIRMED - 12 * HOUR }],
				tests: [
					{ id: 't2', sampledAt: CONFIRMED - 6 * HOUR, result: 'positive' },
					{ id: 't1', sampledAt: CONFIRMED - 30 * HOUR, result: 'positive' },
					{ id: 't0', sampledAt: CONFIRMED - 50 * HOUR, result: 'negative' }
				]
			})
		);
		expect(infectiousWindow(t, 4)).toEqual({ from: CONFIRMED - 30 * HOUR - 4 * DAY, until: CONFIRMED - 12 * HOUR });
	});
	it('without onset or positive sample, from confirmation', () => {
		expect(infectiousWindow({ ref: 'c', confirmedAt: CONFIRMED }, 4)).toEqual({ from: CONFIRMED - 4 * DAY, until: CONFIRMED });
	});
	it('a null look-back or an unknown course does not restrict', () => {
		expect(infectiousWindow({ ref: 'c', confirmedAt: CONFIRMED }, null)).toEqual({ from: -Infinity, until: Infinity });
		expect(infectiousWindow(undefined, 4)).toEqual({ from: -Infinity, until: Infinity });
	});
});

describe('the default rules read a case only inside its infectious window', () => {
	it('with the case 2 days before onset: yellow, by companion and co-visit', () => {
		const ev = colourOf(ONSET - 2 * DAY);
		expect(ev.colour).toBe('yellow');
		expect([...ev.reasons].sort()).toEqual(['spatiotemporal-companion', 'venue-co-visit']);
	});
	it('with the case 6 days before onset (outside the 4-day look-back): green', () => {
		const ev = colourOf(ONSET - 6 * DAY);
		expect(ev.colour).toBe('green');
		expect(ev.reasons).toEqual([]);
	});
	it('after the case was isolated (before confirmation): green', () => {
		const isolated: CaseFact = { ...CASE, isolatedAt: CONFIRMED - 20 * HOUR };
		expect(colourOf(CONFIRMED - 18 * HOUR, DEFAULT_RULES, [isolated]).colour).toBe('green');
		expect(colourOf(CONFIRMED - 18 * HOUR).colour).toBe('yellow');
	});
	it('after confirmation: green', () => {
		expect(colourOf(CONFIRMED + 2 * HOUR).colour).toBe('green');
	});
	it('without onset, the first positive sample anchors the window', () => {
		const noOnset: CaseFact = { id: 'case:1', confirmedAt: CONFIRMED };
		const sample: TestFact = { id: 's', sampledAt: CONFIRMED - DAY, result: 'positive' };
		// 4.5 days before the sample: outside; 3.5 days before it: inside
		expect(colourOf(CONFIRMED - DAY - 4.5 * DAY, DEFAULT_RULES, [noOnset], [sample]).colour).toBe('green');
		expect(colourOf(CONFIRMED - DAY - 3.5 * DAY, DEFAULT_RULES, [noOnset], [sample]).colour).toBe('yellow');
	});
	it('a stay straddling the window start counts only its part inside it', () => {
		// an hour together from 30 min before the window: 30 min inside (≥ 10 min: yellow, lastAt at its end)
		const ev = colourOf(ONSET - 4 * DAY - 30 * 60);
		expect(ev.colour).toBe('yellow');
		// 55 min before the window: 5 min inside (< 10 min), and the venue visit (5 min after the start) is outside
		expect(colourOf(ONSET - 4 * DAY - 55 * 60).colour).toBe('green');
	});
	it('a rule set saved before the field loads with no window (every point counts), and the index notices the difference', () => {
		const stored = JSON.parse(JSON.stringify(DEFAULT_RULES)) as { rules: Record<string, Record<string, unknown>> };
		delete stored.rules['spatiotemporal-companion']!.infectiousLookbackDays;
		delete stored.rules['venue-co-visit']!.infectiousLookbackDays;
		const checked = validateRules(stored);
		expect(checked.ok).toBe(true);
		if (!checked.ok) return;
		expect(checked.rules.rules['spatiotemporal-companion'].infectiousLookbackDays).toBeNull();
		expect(colourOf(ONSET - 6 * DAY, checked.rules).colour).toBe('yellow');
		const { w } = together(ONSET - 6 * DAY);
		expect(indexFits(buildWorldIndex(w, DEFAULT_RULES), checked.rules)).toBe(false);
	});
	it('refuses a look-back out of range', () => {
		const bad = JSON.parse(JSON.stringify(DEFAULT_RULES)) as { rules: Record<string, Record<string, unknown>> };
		bad.rules['venue-co-visit']!.infectiousLookbackDays = -1;
		const checked = validateRules(bad);
		expect(checked.ok).toBe(false);
		if (!checked.ok)
			expect(checked.errors).toEqual([
				expect.objectContaining({ path: 'rules.venue-co-visit.infectiousLookbackDays', code: 'rules/range' })
			]);
	});
});
