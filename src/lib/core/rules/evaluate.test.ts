import { describe, expect, it } from 'vitest';
import type { Colour } from '../claims.js';
import type { ColourReason } from '../colour-reasons.js';
import { DEFAULT_RULES } from './default-rules.js';
import { evaluate, type PathStep } from './evaluate.js';
import type { PersonFacts, RiskArea, TestFact, WorldFacts } from './facts.js';
import { BASE, DAY, HOUR, MIN, NOW, offset, person, square, stay, world } from './fixtures.js';
import type { RuleSet } from './rules-schema.js';
import { buildWorldIndex } from './spatial-index.js';

let n = 0;
const neg = (ago: number): TestFact => ({ id: `neg-${++n}`, sampledAt: NOW - ago, result: 'negative' });
const pos = (ago: number): TestFact => ({ id: `pos-${++n}`, sampledAt: NOW - ago, result: 'positive' });
const close = (ago: number) => ({ id: `contact-${++n}`, kind: 'close' as const, exposedAt: NOW - ago, to: 'case-1' });
const secondary = (ago: number) => ({ id: `contact-${++n}`, kind: 'secondary' as const, exposedAt: NOW - ago, to: 'cc-1' });
const declared = (ago: number, temperatureC: number, symptoms: string[] = ['none']) => ({
	id: `decl-${++n}`,
	at: NOW - ago,
	temperatureC,
	symptoms
});

const HIGH_AREA: RiskArea = { id: 'area-high', level: 'high', shape: { type: 'polygon', ring: square(BASE, 300) }, from: NOW - 30 * DAY };
const MEDIUM_PLACE = offset(BASE, 3000, 0);
const MEDIUM_AREA: RiskArea = {
	id: 'area-medium',
	level: 'medium',
	shape: { type: 'polygon', ring: square(MEDIUM_PLACE, 300) },
	from: NOW - 30 * DAY
};
const CASE_PLACE = offset(BASE, -3000, 0);
const CASE_WORLD: Partial<WorldFacts> = {
	riskAreas: [HIGH_AREA, MEDIUM_AREA],
	caseTrajectories: [{ ref: 'case-1', points: stay(CASE_PLACE, NOW - 2 * DAY, 60, { prefix: 'case', away: offset(BASE, 0, -40_000) }) }],
	caseVisits: [{ ref: 'case-1', visits: [{ id: 'cv-1', venueId: 'venue-1', at: NOW - 2 * DAY }] }]
};

function withRule<K extends keyof RuleSet['rules']>(name: K, patch: Partial<RuleSet['rules'][K]>): RuleSet {
	return { ...DEFAULT_RULES, rules: { ...DEFAULT_RULES.rules, [name]: { ...DEFAULT_RULES.rules[name], ...patch } } };
}

interface Row {
	name: string;
	person: Partial<PersonFacts>;
	rules?: RuleSet;
	/** seconds after NOW at which to evaluate (negative: before) */
	later?: number;
	colour: Colour;
	reasons: ColourReason[];
	/** expected steps, compared on the listed fields */
	path?: Partial<PathStep>[];
}

const ROWS: Row[] = [
	{ name: 'no facts → green', person: {}, colour: 'green', reasons: [], path: [] },

	// confirmed case: red until released
	{
		name: 'confirmed, not released → red until released',
		person: { cases: [{ id: 'c', confirmedAt: NOW - DAY }] },
		colour: 'red',
		reasons: ['confirmed-case'],
		path: [{ kind: 'release' }]
	},
	{
		name: 'confirmed, release date ahead',
		person: { cases: [{ id: 'c', confirmedAt: NOW - DAY, releasedAt: NOW + DAY }] },
		colour: 'red',
		reasons: ['confirmed-case'],
		path: [{ kind: 'release', until: NOW + DAY }]
	},
	{
		name: 'confirmed, released exactly now → green',
		person: { cases: [{ id: 'c', confirmedAt: NOW - 20 * DAY, releasedAt: NOW }] },
		colour: 'green',
		reasons: []
	},
	{
		name: 'confirmed in the future (bad data) → ignored',
		person: { cases: [{ id: 'c', confirmedAt: NOW + 1 }] },
		colour: 'green',
		reasons: []
	},

	// positive test: red until two negatives ≥ 24 h apart after it
	{
		name: 'positive test → red',
		person: { tests: [pos(DAY)] },
		colour: 'red',
		reasons: ['positive-test'],
		path: [{ kind: 'negative-tests', count: 2, done: 0, after: NOW - DAY }]
	},
	{
		name: 'positive, one negative after → still red',
		person: { tests: [pos(3 * DAY), neg(DAY)] },
		colour: 'red',
		reasons: ['positive-test'],
		path: [{ kind: 'negative-tests', done: 1 }]
	},
	{
		name: 'positive, two negatives 24 h apart after → green',
		person: { tests: [pos(3 * DAY), neg(2 * DAY), neg(DAY)] },
		colour: 'green',
		reasons: []
	},
	{
		name: 'positive, negatives before it do not count',
		person: { tests: [neg(4 * DAY), neg(3 * DAY), pos(2 * DAY)] },
		colour: 'red',
		reasons: ['positive-test'],
		path: [{ done: 0 }]
	},
	{
		name: 'positive months ago, never cleared → still red (no look-back)',
		person: { tests: [pos(90 * DAY)] },
		colour: 'red',
		reasons: ['positive-test']
	},

	// quarantine order: red while from ≤ now < until
	{
		name: 'quarantine at its first second → red',
		person: { quarantine: [{ id: 'q', from: NOW, until: NOW + 7 * DAY }] },
		colour: 'red',
		reasons: ['quarantine-order'],
		path: [{ kind: 'quarantine-ends', until: NOW + 7 * DAY }]
	},
	{
		name: 'quarantine one second before it starts → green',
		person: { quarantine: [{ id: 'q', from: NOW + 1, until: NOW + 7 * DAY }] },
		colour: 'green',
		reasons: []
	},
	{
		name: 'quarantine at its last second → red',
		person: { quarantine: [{ id: 'q', from: NOW - 7 * DAY + 1, until: NOW + 1 }] },
		colour: 'red',
		reasons: ['quarantine-order']
	},
	{
		name: 'quarantine exactly at until → green',
		person: { quarantine: [{ id: 'q', from: NOW - 7 * DAY, until: NOW }] },
		colour: 'green',
		reasons: []
	},
	{
		name: 'back-to-back orders end with the last one',
		person: {
			quarantine: [
				{ id: 'q1', from: NOW - DAY, until: NOW + DAY },
				{ id: 'q2', from: NOW + DAY, until: NOW + 4 * DAY }
			]
		},
		colour: 'red',
		reasons: ['quarantine-order'],
		path: [{ kind: 'quarantine-ends', until: NOW + 4 * DAY }]
	},

	// close contact: red for 7 days and until 5 negative tests ≥ 12 h apart (days 1,2,3,5,7)
	{
		name: 'close contact on day 3 → red',
		person: { contacts: [close(3 * DAY)] },
		colour: 'red',
		reasons: ['close-contact'],
		path: [
			{ kind: 'wait-until', until: NOW + 4 * DAY },
			{ kind: 'negative-tests', count: 5, done: 0 }
		]
	},
	{
		name: 'close contact, all tests, one second before day 7 ends → red',
		person: { contacts: [close(7 * DAY - 1)], tests: [neg(6 * DAY), neg(5 * DAY), neg(4 * DAY), neg(2 * DAY), neg(0)] },
		colour: 'red',
		reasons: ['close-contact'],
		path: [{ kind: 'wait-until' }, { kind: 'negative-tests', done: 5 }]
	},
	{
		name: 'close contact, all tests, exactly 7 days → green',
		person: { contacts: [close(7 * DAY)], tests: [neg(6 * DAY), neg(5 * DAY), neg(4 * DAY), neg(2 * DAY), neg(0)] },
		colour: 'green',
		reasons: []
	},
	{
		name: 'close contact, 7 days, 4 tests → red',
		person: { contacts: [close(8 * DAY)], tests: [neg(6 * DAY), neg(5 * DAY), neg(4 * DAY), neg(2 * DAY)] },
		colour: 'red',
		reasons: ['close-contact'],
		path: [{ kind: 'wait-until' }, { kind: 'negative-tests', done: 4 }]
	},
	{
		name: 'close contact, no tests, exactly 14 days → still counts',
		person: { contacts: [close(14 * DAY)] },
		colour: 'red',
		reasons: ['close-contact']
	},
	{ name: 'close contact, no tests, 14 days + 1 s → aged out', person: { contacts: [close(14 * DAY + 1)] }, colour: 'green', reasons: [] },
	{
		name: 'close contact in the future (bad data), no look-back limit → ignored',
		person: { contacts: [close(-DAY)] },
		rules: withRule('close-contact', { lookbackDays: null }),
		colour: 'green',
		reasons: []
	},
	{
		name: 'close contact rule inactive → green',
		person: { contacts: [close(DAY)] },
		rules: withRule('close-contact', { active: false }),
		colour: 'green',
		reasons: []
	},

	// secondary contact: yellow for 7 days and until 3 tests ≥ 48 h apart
	{ name: 'secondary contact → yellow', person: { contacts: [secondary(DAY)] }, colour: 'yellow', reasons: ['secondary-contact'] },
	{
		name: 'secondary contact, 8 days, tests days 1,4,7 → green',
		person: { contacts: [secondary(8 * DAY)], tests: [neg(7 * DAY), neg(4 * DAY), neg(DAY)] },
		colour: 'green',
		reasons: []
	},

	// risk areas: red/yellow for 7 days after the last presence
	{
		name: 'high-risk area stay yesterday → red',
		person: { trajectory: stay(BASE, NOW - DAY, 30) },
		colour: 'red',
		reasons: ['high-risk-area-stay'],
		path: [{ kind: 'wait-until', until: NOW - DAY + 30 * MIN + 7 * DAY }]
	},
	{
		name: 'high-risk stay ended exactly 7 days ago → green (hold over)',
		person: { trajectory: stay(BASE, NOW - 7 * DAY - 30 * MIN, 30) },
		colour: 'green',
		reasons: []
	},
	{
		name: 'high-risk stay ended 7 days − 1 s ago → red',
		person: { trajectory: stay(BASE, NOW - 7 * DAY - 30 * MIN + 1, 30) },
		colour: 'red',
		reasons: ['high-risk-area-stay']
	},
	{
		name: 'medium-risk area stay → yellow',
		person: { trajectory: stay(MEDIUM_PLACE, NOW - DAY, 30) },
		colour: 'yellow',
		reasons: ['medium-risk-area-stay']
	},
	// the article's "red for passing near": a cell fix (the tower, r = 800 m) inside the 600 m high-risk square
	{
		name: 'cell fix (r 800 m) with its centre in the high-risk area → green: it cannot show presence',
		person: { trajectory: stay(offset(BASE, 37, 0), NOW - DAY, 30, { accuracyM: 800 }) },
		colour: 'green',
		reasons: []
	},
	{
		name: 'the same cell fix, centre-only rules (accuracyFactor 0) → red',
		person: { trajectory: stay(offset(BASE, 37, 0), NOW - DAY, 30, { accuracyM: 800 }) },
		rules: withRule('high-risk-area-stay', { accuracyFactor: 0 }),
		colour: 'red',
		reasons: ['high-risk-area-stay']
	},
	{
		name: 'medium-risk with a 60-min minimum dwell, 30 min → green',
		person: { trajectory: stay(MEDIUM_PLACE, NOW - DAY, 30) },
		rules: withRule('medium-risk-area-stay', { minDwellMinutes: 60 }),
		colour: 'green',
		reasons: []
	},
	{
		name: 'medium-risk with a 30-min minimum dwell, exactly 30 min → yellow',
		person: { trajectory: stay(MEDIUM_PLACE, NOW - DAY, 30) },
		rules: withRule('medium-risk-area-stay', { minDwellMinutes: 30 }),
		colour: 'yellow',
		reasons: ['medium-risk-area-stay']
	},

	// companion (precise by default): yellow until 2 tests ≥ 24 h apart within 3 days after it
	{
		name: 'companion → yellow',
		person: { trajectory: stay(offset(CASE_PLACE, 10, 0), NOW - 2 * DAY, 30) },
		colour: 'yellow',
		reasons: ['spatiotemporal-companion'],
		path: [{ kind: 'negative-tests', count: 2, apartHours: 24, withinDays: 3, done: 0, after: NOW - 2 * DAY + 30 * MIN }]
	},
	{
		name: 'companion, one negative after → yellow',
		person: { trajectory: stay(offset(CASE_PLACE, 10, 0), NOW - 2 * DAY, 30), tests: [neg(DAY)] },
		colour: 'yellow',
		reasons: ['spatiotemporal-companion'],
		path: [{ done: 1 }]
	},
	{
		name: 'companion, two negatives 23 h apart → yellow',
		person: { trajectory: stay(offset(CASE_PLACE, 10, 0), NOW - 2 * DAY, 30), tests: [neg(DAY + 23 * HOUR), neg(DAY)] },
		colour: 'yellow',
		reasons: ['spatiotemporal-companion'],
		path: [{ done: 1 }]
	},
	{
		name: 'companion, two negatives exactly 24 h apart → green',
		person: {
			trajectory: stay(offset(CASE_PLACE, 10, 0), NOW - 2 * DAY, 30),
			tests: [neg(DAY + 24 * HOUR - 31 * MIN), neg(DAY - 31 * MIN)]
		},
		colour: 'green',
		reasons: []
	},
	{
		name: 'companion, two negatives before the exposure → yellow',
		person: { trajectory: stay(offset(CASE_PLACE, 10, 0), NOW - 2 * DAY, 30), tests: [neg(4 * DAY), neg(3 * DAY)] },
		colour: 'yellow',
		reasons: ['spatiotemporal-companion'],
		path: [{ done: 0 }]
	},
	{
		name: 'grid method: 2 km away → green',
		person: { trajectory: stay(offset(CASE_PLACE, 2000, 0), NOW - 2 * DAY, 30) },
		rules: withRule('spatiotemporal-companion', { method: 'grid' }),
		colour: 'green',
		reasons: []
	},
	{
		name: 'grid method: same spot → yellow',
		person: { trajectory: stay(CASE_PLACE, NOW - 2 * DAY, 30) },
		rules: withRule('spatiotemporal-companion', { method: 'grid' }),
		colour: 'yellow',
		reasons: ['spatiotemporal-companion']
	},

	// venue co-visit: within 30 min either side (inclusive)
	{
		name: 'venue co-visit 30 min after the case → yellow',
		person: { visits: [{ id: 'v', venueId: 'venue-1', at: NOW - 2 * DAY + 30 * MIN }] },
		colour: 'yellow',
		// the two scan stays (40 min) overlap 10 min: the precise companion rule's venue evidence agrees (docs/rules.md)
		reasons: ['spatiotemporal-companion', 'venue-co-visit']
	},
	{
		name: 'venue co-visit 30 min before the case → yellow',
		person: { visits: [{ id: 'v', venueId: 'venue-1', at: NOW - 2 * DAY - 30 * MIN }] },
		colour: 'yellow',
		// the two scan stays (40 min) overlap 10 min: the precise companion rule's venue evidence agrees (docs/rules.md)
		reasons: ['spatiotemporal-companion', 'venue-co-visit']
	},
	{
		name: 'venue visit 30 min 1 s after → green',
		person: { visits: [{ id: 'v', venueId: 'venue-1', at: NOW - 2 * DAY + 30 * MIN + 1 }] },
		colour: 'green',
		reasons: []
	},
	{
		name: 'another venue at the same time → green',
		person: { visits: [{ id: 'v', venueId: 'venue-2', at: NOW - 2 * DAY }] },
		colour: 'green',
		reasons: []
	},
	{
		name: 'the case itself is not its own co-visitor',
		person: { ref: 'case-1', visits: [{ id: 'v', venueId: 'venue-1', at: NOW - 2 * DAY }] },
		colour: 'green',
		reasons: []
	},

	// declarations: fever ≥ 37.3 °C (or the fever symptom), for 3 days, cleared by one negative test after
	{
		name: 'declared 37.3 °C → yellow',
		person: { declaration: declared(HOUR, 37.3) },
		colour: 'yellow',
		reasons: ['fever-declared'],
		path: [{ kind: 'negative-tests', count: 1, done: 0 }]
	},
	{ name: 'declared 37.2 °C → green', person: { declaration: declared(HOUR, 37.2) }, colour: 'green', reasons: [] },
	{
		name: 'fever symptom at 36.5 °C → yellow',
		person: { declaration: declared(HOUR, 36.5, ['fever']) },
		colour: 'yellow',
		reasons: ['fever-declared']
	},
	{
		name: 'fever declared exactly 3 days ago → yellow',
		person: { declaration: declared(3 * DAY, 38) },
		colour: 'yellow',
		reasons: ['fever-declared']
	},
	{ name: 'fever declared 3 days + 1 s ago → green', person: { declaration: declared(3 * DAY + 1, 38) }, colour: 'green', reasons: [] },
	{
		name: 'fever then a negative test → green',
		person: { declaration: declared(DAY, 38), tests: [neg(HOUR)] },
		colour: 'green',
		reasons: []
	},
	{
		name: 'cough with the symptoms rule off (default) → green',
		person: { declaration: declared(HOUR, 36.5, ['cough']) },
		colour: 'green',
		reasons: []
	},
	{
		name: 'cough with the symptoms rule on → yellow',
		person: { declaration: declared(HOUR, 36.5, ['cough']) },
		rules: withRule('symptoms-declared', { active: true }),
		colour: 'yellow',
		reasons: ['symptoms-declared']
	},

	// combinations: red beats yellow; reasons most severe first
	{
		name: 'several reasons, red first then registry order',
		person: {
			declaration: declared(HOUR, 38),
			contacts: [close(DAY)],
			cases: [{ id: 'c', confirmedAt: NOW - DAY }],
			trajectory: stay(MEDIUM_PLACE, NOW - DAY, 30)
		},
		colour: 'red',
		reasons: ['confirmed-case', 'close-contact', 'medium-risk-area-stay', 'fever-declared']
	},
	{
		name: 'a rule configured red outranks a lower-numbered yellow',
		person: { declaration: declared(HOUR, 38), contacts: [secondary(DAY)] },
		rules: withRule('fever-declared', { colour: 'red' }),
		colour: 'red',
		reasons: ['fever-declared', 'secondary-contact']
	}
];

describe('evaluate', () => {
	const index = buildWorldIndex(world(CASE_WORLD), DEFAULT_RULES);
	it.each(ROWS)('$name', (row) => {
		const rules = row.rules ?? DEFAULT_RULES;
		const idx = row.rules ? buildWorldIndex(world(CASE_WORLD), rules) : index;
		const e = evaluate(rules, person(row.person), idx, NOW + (row.later ?? 0));
		expect(e.colour).toBe(row.colour);
		expect(e.reasons).toEqual(row.reasons);
		expect(e.ruleVersion).toBe(rules.version);
		if (row.colour === 'green') expect(e.pathToGreen).toEqual([]);
		if (row.path) {
			expect(e.pathToGreen).toHaveLength(row.path.length);
			row.path.forEach((step, i) => expect(e.pathToGreen[i]).toMatchObject(step));
		}
	});

	it('walks a close contact back to green as time and tests come in', () => {
		const exposedAt = NOW - 10 * DAY;
		const p = (tests: TestFact[]) => person({ contacts: [{ id: 'cc', kind: 'close', exposedAt, to: 'x' }], tests });
		const days = [1, 2, 3, 5, 7].map((d): TestFact => ({ id: `t${d}`, sampledAt: exposedAt + d * DAY - HOUR, result: 'negative' }));
		const at = (d: number, tests: TestFact[]) => evaluate(DEFAULT_RULES, p(tests), index, exposedAt + d * DAY);
		expect(at(1, []).colour).toBe('red');
		expect(at(3, days.slice(0, 3)).pathToGreen.find((s) => s.kind === 'negative-tests')).toMatchObject({ done: 3 });
		expect(at(7, days).colour).toBe('green');
		expect(at(7, days).factsUsed).toEqual(['cc', 't1', 't2', 't3', 't5', 't7']);
		expect(at(6.9, days.slice(0, 4)).reviewAt).toBe(exposedAt + 7 * DAY);
	});

	it('records the facts used: the person’s and the world’s', () => {
		const e = evaluate(
			DEFAULT_RULES,
			person({ trajectory: stay(BASE, NOW - DAY, 30, { prefix: 'mine' }), visits: [{ id: 'v9', venueId: 'venue-1', at: NOW - 2 * DAY }] }),
			index,
			NOW
		);
		expect(e.factsUsed).toContain('area-high');
		expect(e.factsUsed).toContain('v9');
		expect(e.factsUsed).toContain('cv-1');
		expect(e.factsUsed.some((f) => f.startsWith('mine-'))).toBe(true);
	});

	it('gives one event per reason: its date, the facts behind it, and the place when a rule knows one', () => {
		const e = evaluate(
			DEFAULT_RULES,
			person({
				cases: [{ id: 'c', confirmedAt: NOW - DAY }],
				quarantine: [{ id: 'q', from: NOW - 2 * DAY, until: NOW + DAY }],
				contacts: [{ id: 'k', kind: 'secondary', exposedAt: NOW - 3 * DAY, to: 'x' }],
				trajectory: stay(MEDIUM_PLACE, NOW - DAY, 30, { prefix: 'mine' }),
				visits: [{ id: 'v9', venueId: 'venue-1', at: NOW - 2 * DAY + 10 * MIN }]
			}),
			index,
			NOW
		);
		expect(e.events.map((x) => x.reason)).toEqual(e.reasons);
		const by = new Map(e.events.map((x) => [x.reason, x]));
		expect(by.get('confirmed-case')).toMatchObject({ at: NOW - DAY, facts: ['c'], endsAt: null });
		expect(by.get('quarantine-order')).toMatchObject({ at: NOW - 2 * DAY, facts: ['q'], endsAt: NOW + DAY });
		// no tests yet: held 7 days, but it only ends by itself when it ages out (14 days + 1 s)
		expect(by.get('secondary-contact')).toMatchObject({ at: NOW - 3 * DAY, facts: ['k'], endsAt: NOW - 3 * DAY + 14 * DAY + 1 });
		expect(by.get('medium-risk-area-stay')).toMatchObject({ place: { kind: 'risk-area', id: 'area-medium' } });
		expect(by.get('medium-risk-area-stay')!.at).toBeGreaterThan(NOW - DAY);
		expect(by.get('venue-co-visit')).toMatchObject({ at: NOW - 2 * DAY + 10 * MIN, place: { kind: 'venue', id: 'venue-1' } });
		expect(by.get('secondary-contact')!.place).toBeUndefined();
		// a hold with no tests required ends with the hold
		const inArea = by.get('medium-risk-area-stay')!;
		expect(inArea.endsAt).toBe(inArea.at + 7 * DAY);
		// tests done: the hold's end
		const tested = evaluate(
			DEFAULT_RULES,
			person({ contacts: [secondary(5 * DAY)], tests: [neg(5 * DAY - HOUR), neg(3 * DAY - HOUR), neg(DAY - HOUR)] }),
			index,
			NOW
		);
		expect(tested.events[0]).toMatchObject({ reason: 'secondary-contact', endsAt: NOW - 5 * DAY + 7 * DAY });
		expect(evaluate(DEFAULT_RULES, person(), index, NOW).events).toEqual([]);
	});

	it('gives reviewAt: when a hold ends, an order ends, or an event ages out', () => {
		expect(evaluate(DEFAULT_RULES, person({ quarantine: [{ id: 'q', from: NOW - DAY, until: NOW + DAY }] }), index, NOW).reviewAt).toBe(
			NOW + DAY
		);
		expect(evaluate(DEFAULT_RULES, person({ declaration: declared(DAY, 38) }), index, NOW).reviewAt).toBe(NOW + 2 * DAY + 1);
		expect(evaluate(DEFAULT_RULES, person({ quarantine: [{ id: 'q', from: NOW + DAY, until: NOW + 2 * DAY }] }), index, NOW).reviewAt).toBe(
			NOW + DAY
		);
		expect(evaluate(DEFAULT_RULES, person(), index, NOW).reviewAt).toBeNull();
	});

	it('refuses an index built for another grid size (a programming error)', () => {
		const other = buildWorldIndex(world(), withRule('spatiotemporal-companion', { grid: { cellSizeM: 500, minOverlapMinutes: 10 } }));
		expect(() => evaluate(DEFAULT_RULES, person(), other, NOW)).toThrow(RangeError);
	});

	it('refuses an index refined with other precise cell settings (a programming error)', () => {
		const c = DEFAULT_RULES.rules['spatiotemporal-companion'];
		const other = buildWorldIndex(world(), withRule('spatiotemporal-companion', { precise: { ...c.precise, refineMinutes: 30 } }));
		expect(() => evaluate(DEFAULT_RULES, person(), other, NOW)).toThrow(RangeError);
		// coarseWeight does not shape the index
		const same = buildWorldIndex(world(), withRule('spatiotemporal-companion', { precise: { ...c.precise, coarseWeight: 1 } }));
		expect(() => evaluate(DEFAULT_RULES, person(), same, NOW)).not.toThrow();
	});
});
