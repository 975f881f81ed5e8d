/**
 * Properties of evaluate over random facts: it never throws (garbage included), is deterministic and
 * independent of the order of facts, and is monotone: adding an adverse fact (a case, a positive test, a
 * quarantine order, a contact, a venue visit, a fever declaration in place of none) never makes the colour
 * greener. Trajectory points are left out of monotonicity on purpose: a new point can split a stay (the
 * person left earlier than the old points suggested), which may rightly shorten a dwell — docs/rules.md.
 * A venue visit is adverse only while the precise companion rule does not read scans: a guard scan is also a
 * place (scan-stays.ts) — a scan elsewhere ends the stay of the previous one and contradicts cell-only time — so
 * with scans on it is, like a trajectory point, evidence either way; the visit property runs with scanStayMinutes 0.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Colour } from '../claims.js';
import { DEFAULT_RULES } from './default-rules.js';
import { evaluate } from './evaluate.js';
import type { PersonFacts } from './facts.js';
import { BASE, DAY, NOW, offset, square, stay, world } from './fixtures.js';
import type { RuleSet } from './rules-schema.js';
import { buildWorldIndex } from './spatial-index.js';

const CASE_PLACE = offset(BASE, -1000, 0);
const WORLD = world({
	riskAreas: [
		{ id: 'h', level: 'high', shape: { type: 'polygon', ring: square(BASE, 300) }, from: NOW - 30 * DAY },
		{
			id: 'm',
			level: 'medium',
			shape: { type: 'polygon', ring: square(offset(BASE, 1000, 0), 300) },
			from: NOW - 30 * DAY,
			until: NOW - 2 * DAY
		}
	],
	caseTrajectories: [{ ref: 'case', points: stay(CASE_PLACE, NOW - 3 * DAY, 40, { prefix: 'c' }) }],
	caseVisits: [{ ref: 'case', visits: [{ id: 'cv', venueId: 'v1', at: NOW - 3 * DAY }] }]
});
const INDEX = buildWorldIndex(WORLD, DEFAULT_RULES);
const c = DEFAULT_RULES.rules['spatiotemporal-companion'];
const NO_SCANS: RuleSet = {
	...DEFAULT_RULES,
	rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...c, precise: { ...c.precise, scanStayMinutes: 0 } } }
};
const NO_SCANS_INDEX = buildWorldIndex(WORLD, NO_SCANS);
const RANK: Record<Colour, number> = { green: 0, yellow: 1, red: 2 };

const time = fc.oneof(fc.integer({ min: NOW - 20 * DAY, max: NOW + DAY }), fc.constantFrom(Number.NaN, Infinity, -Infinity, NOW));
const id = fc.string({ minLength: 1, maxLength: 4 });
const test = fc.record({ id, sampledAt: time, result: fc.constantFrom<'negative' | 'positive'>('negative', 'positive') });
const caseFact = fc.record({ id, confirmedAt: time, releasedAt: fc.option(time, { nil: undefined }) });
const quarantine = fc.record({ id, from: time, until: time });
const contact = fc.record({ id, kind: fc.constantFrom<'close' | 'secondary'>('close', 'secondary'), exposedAt: time, to: id });
const place = fc.constantFrom(BASE, CASE_PLACE, offset(BASE, 1000, 0), offset(BASE, 5000, 5000));
const point = fc.record({
	id,
	at: time,
	lat: fc.oneof(
		place.map((p) => p.lat),
		fc.double({ noNaN: false })
	),
	lon: fc.oneof(
		place.map((p) => p.lon),
		fc.double({ noNaN: false })
	),
	accuracyM: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant(-1))
});
const visit = fc.record({ id, venueId: fc.constantFrom('v1', 'v2'), at: time });
const declaration = fc.record({
	id,
	at: time,
	temperatureC: fc.oneof(fc.double({ min: 35, max: 41 }), fc.constant(Number.NaN)),
	symptoms: fc.subarray(['none', 'fever', 'cough'])
});

const personArb: fc.Arbitrary<PersonFacts> = fc.record({
	ref: fc.constantFrom('p', 'case'),
	declaration: fc.option(declaration, { nil: undefined }),
	tests: fc.array(test, { maxLength: 6 }),
	cases: fc.array(caseFact, { maxLength: 2 }),
	quarantine: fc.array(quarantine, { maxLength: 2 }),
	contacts: fc.array(contact, { maxLength: 3 }),
	trajectory: fc.array(point, { maxLength: 8 }),
	visits: fc.array(visit, { maxLength: 3 })
});
const nowArb = fc.integer({ min: NOW - 5 * DAY, max: NOW + 10 * DAY });

describe('evaluate (properties)', () => {
	it('never throws, is deterministic and ignores the order of facts', () => {
		fc.assert(
			fc.property(personArb, nowArb, (p, now) => {
				const a = evaluate(DEFAULT_RULES, p, INDEX, now);
				expect(evaluate(DEFAULT_RULES, p, INDEX, now)).toEqual(a);
				const reversed: PersonFacts = {
					...p,
					tests: [...p.tests].reverse(),
					contacts: [...p.contacts].reverse(),
					trajectory: [...p.trajectory].reverse(),
					visits: [...p.visits].reverse(),
					cases: [...p.cases].reverse(),
					quarantine: [...p.quarantine].reverse()
				};
				expect(evaluate(DEFAULT_RULES, reversed, INDEX, now)).toEqual(a);
				expect((a.colour === 'green') === (a.reasons.length === 0)).toBe(true);
				expect(new Set(a.reasons).size).toBe(a.reasons.length);
			}),
			{ numRuns: 400 }
		);
	});

	it('survives garbage shapes', () => {
		const junk = [null, undefined, 1, 'x', {}, [], { ref: 'p' }, { ref: 'p', tests: 'no', trajectory: [null, { at: 'x' }], contacts: [1] }];
		for (const j of junk) expect(() => evaluate(DEFAULT_RULES, j as unknown as PersonFacts, INDEX, NOW)).not.toThrow();
		expect(() =>
			buildWorldIndex({ riskAreas: [null], caseTrajectories: [{ ref: 1 }], caseVisits: 'x' } as never, DEFAULT_RULES)
		).not.toThrow();
	});

	it('is monotone: an adverse fact never makes the colour greener', () => {
		const adverse = fc.oneof(
			caseFact.map((c) => (p: PersonFacts): PersonFacts => ({ ...p, cases: [...p.cases, c] })),
			test.map((t) => (p: PersonFacts): PersonFacts => ({ ...p, tests: [...p.tests, { ...t, result: 'positive' }] })),
			quarantine.map((q) => (p: PersonFacts): PersonFacts => ({ ...p, quarantine: [...p.quarantine, q] })),
			contact.map((c) => (p: PersonFacts): PersonFacts => ({ ...p, contacts: [...p.contacts, c] })),
			declaration.map(
				(d) =>
					(p: PersonFacts): PersonFacts =>
						p.declaration ? p : { ...p, declaration: d }
			)
		);
		fc.assert(
			fc.property(personArb, adverse, nowArb, (p, add, now) => {
				const before = evaluate(DEFAULT_RULES, p, INDEX, now).colour;
				const after = evaluate(DEFAULT_RULES, add(p), INDEX, now).colour;
				expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
			}),
			{ numRuns: 400 }
		);
	});

	it('is monotone in venue visits while the companion rule does not read scans', () => {
		fc.assert(
			fc.property(personArb, visit, nowArb, (p, v, now) => {
				const before = evaluate(NO_SCANS, p, NO_SCANS_INDEX, now).colour;
				const after = evaluate(NO_SCANS, { ...p, visits: [...p.visits, v] }, NO_SCANS_INDEX, now).colour;
				expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
			}),
			{ numRuns: 400 }
		);
	});
});
