import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import { BASE, DAY, MIN, NOW, offset, stay, world } from './fixtures.js';
import { M_PER_DEG } from './geo.js';
import { cellBounds, cellOf } from './grid.js';
import { matchCompanions } from './match-companions.js';
import type { CompanionRule, RuleSet } from './rules-schema.js';
import { buildWorldIndex } from './spatial-index.js';
import { segments } from './trajectory.js';

const CASE_AWAY = offset(BASE, 0, -30_000);
const cell = cellBounds(cellOf(BASE.lat, BASE.lon, 800)!.id)!;
const midLon = (cell.west + cell.east) / 2;
/** 1 m inside the cell's south edge, and 1 m outside it (2 m apart, different cells) */
const IN = { lat: cell.south + 1 / M_PER_DEG, lon: midLon };
const OUT = { lat: cell.south - 1 / M_PER_DEG, lon: midLon };

function rulesWith(method: 'grid' | 'precise', precise: Partial<CompanionRule['precise']> = {}): RuleSet {
	const c = DEFAULT_RULES.rules['spatiotemporal-companion'];
	return {
		...DEFAULT_RULES,
		rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...c, method, precise: { ...c.precise, ...precise } } }
	};
}

interface Row {
	name: string;
	method: 'grid' | 'precise';
	/** case: where, from (s before NOW), minutes, accuracy */
	c: { at: { lat: number; lon: number }; ago: number; minutes: number; acc?: number };
	p: { at: { lat: number; lon: number }; ago: number; minutes: number; acc?: number };
	precise?: Partial<CompanionRule['precise']>;
	personRef?: string;
	overlap: number | null;
	qualifies: boolean;
}

const T = 5 * DAY;
const ROWS: Row[] = [
	// grid: MORE than 10 minutes in the same cell
	{
		name: 'grid: same cell, exactly 10 min → not a match',
		method: 'grid',
		c: { at: BASE, ago: T, minutes: 30 },
		p: { at: offset(BASE, 100, 0), ago: T, minutes: 10 },
		overlap: 10,
		qualifies: false
	},
	{
		name: 'grid: same cell, 10 min 1 s',
		method: 'grid',
		c: { at: BASE, ago: T, minutes: 30 },
		p: { at: offset(BASE, 100, 0), ago: T, minutes: 10 + 1 / 60 },
		overlap: 10 + 1 / 60,
		qualifies: true
	},
	{
		name: 'grid: 790 m apart in one cell (a false yellow)',
		method: 'grid',
		c: { at: IN, ago: T, minutes: 30 },
		p: { at: offset(IN, 0, 790), ago: T, minutes: 30 },
		overlap: 30,
		qualifies: true
	},
	{
		name: 'grid: 2 m apart across the cell edge → missed',
		method: 'grid',
		c: { at: IN, ago: T, minutes: 30 },
		p: { at: OUT, ago: T, minutes: 30 },
		overlap: null,
		qualifies: false
	},
	{
		name: 'grid: same place, no time overlap',
		method: 'grid',
		c: { at: BASE, ago: T, minutes: 30 },
		p: { at: BASE, ago: T - 30 * MIN, minutes: 30 },
		overlap: null,
		qualifies: false
	},
	{
		name: 'grid: partial overlap counts only the shared 15 min',
		method: 'grid',
		c: { at: BASE, ago: T, minutes: 30 },
		p: { at: BASE, ago: T - 15 * MIN, minutes: 30 },
		overlap: 15,
		qualifies: true
	},
	// exactly 14 days: the window [now − 14 d, now] is inclusive; time before it is not counted
	{
		name: 'grid: 11 min starting exactly 14 days ago',
		method: 'grid',
		c: { at: BASE, ago: 14 * DAY, minutes: 11 },
		p: { at: BASE, ago: 14 * DAY, minutes: 11 },
		overlap: 11,
		qualifies: true
	},
	{
		name: 'grid: 11 min starting 14 days + 1 min ago (10 min inside)',
		method: 'grid',
		c: { at: BASE, ago: 14 * DAY + MIN, minutes: 11 },
		p: { at: BASE, ago: 14 * DAY + MIN, minutes: 11 },
		overlap: 10,
		qualifies: false
	},
	{
		name: 'grid: a person is not their own companion',
		method: 'grid',
		c: { at: BASE, ago: T, minutes: 30 },
		p: { at: BASE, ago: T, minutes: 30 },
		personRef: 'case-1',
		overlap: null,
		qualifies: false
	},
	// precise: max(0, d − (r1 + r2)) ≤ 50 m, at least 10 minutes
	{
		name: 'precise: 2 m apart across the cell edge → found',
		method: 'precise',
		c: { at: IN, ago: T, minutes: 30 },
		p: { at: OUT, ago: T, minutes: 30 },
		overlap: 30,
		qualifies: true
	},
	{
		name: 'precise: 790 m apart → not a match',
		method: 'precise',
		c: { at: IN, ago: T, minutes: 30 },
		p: { at: offset(IN, 0, 790), ago: T, minutes: 30 },
		overlap: null,
		qualifies: false
	},
	{
		name: 'precise: exactly 50 m, exact points',
		method: 'precise',
		c: { at: BASE, ago: T, minutes: 30, acc: 0 },
		p: { at: offset(BASE, 49.999, 0), ago: T, minutes: 30, acc: 0 },
		overlap: 30,
		qualifies: true
	},
	{
		name: 'precise: 51 m, exact points',
		method: 'precise',
		c: { at: BASE, ago: T, minutes: 30, acc: 0 },
		p: { at: offset(BASE, 51, 0), ago: T, minutes: 30, acc: 0 },
		overlap: null,
		qualifies: false
	},
	{
		name: 'precise: 59.9 m, radii 5 + 5',
		method: 'precise',
		c: { at: BASE, ago: T, minutes: 30, acc: 5 },
		p: { at: offset(BASE, 59.9, 0), ago: T, minutes: 30, acc: 5 },
		overlap: 30,
		qualifies: true
	},
	{
		name: 'precise: 61 m, radii 5 + 5',
		method: 'precise',
		c: { at: BASE, ago: T, minutes: 30, acc: 5 },
		p: { at: offset(BASE, 61, 0), ago: T, minutes: 30, acc: 5 },
		overlap: null,
		qualifies: false
	},
	{
		name: 'precise: accuracyFactor 0.5, 59.9 m, radii 10 + 10',
		method: 'precise',
		precise: { accuracyFactor: 0.5 },
		c: { at: BASE, ago: T, minutes: 30, acc: 10 },
		p: { at: offset(BASE, 59.9, 0), ago: T, minutes: 30, acc: 10 },
		overlap: 30,
		qualifies: true
	},
	{
		name: 'precise: 150 m with cell-sized radii 100 + 100',
		method: 'precise',
		c: { at: BASE, ago: T, minutes: 30, acc: 100 },
		p: { at: offset(BASE, 150, 0), ago: T, minutes: 30, acc: 100 },
		overlap: 30,
		qualifies: true
	},
	{
		name: 'precise: a point less accurate than maxAccuracyM (201 m) is not used',
		method: 'precise',
		c: { at: BASE, ago: T, minutes: 30, acc: 201 },
		p: { at: BASE, ago: T, minutes: 30 },
		overlap: null,
		qualifies: false
	},
	{
		name: 'precise: exactly 10 min → a match (at least)',
		method: 'precise',
		c: { at: BASE, ago: T, minutes: 30 },
		p: { at: BASE, ago: T, minutes: 10 },
		overlap: 10,
		qualifies: true
	},
	{
		name: 'precise: 9 min 59 s → not',
		method: 'precise',
		c: { at: BASE, ago: T, minutes: 30 },
		p: { at: BASE, ago: T, minutes: 10 - 1 / 60 },
		overlap: 10 - 1 / 60,
		qualifies: false
	}
];

describe('matchCompanions', () => {
	it.each(ROWS)('$name', (row) => {
		const rules = rulesWith(row.method, row.precise);
		const caseTrajectory = stay(row.c.at, NOW - row.c.ago, row.c.minutes, { accuracyM: row.c.acc ?? 5, away: CASE_AWAY, prefix: 'c' });
		const index = buildWorldIndex(world({ caseTrajectories: [{ ref: 'case-1', points: caseTrajectory }] }), rules);
		const mine = segments(stay(row.p.at, NOW - row.p.ago, row.p.minutes, { accuracyM: row.p.acc ?? 5 }), index.maxGapS);
		const found = matchCompanions(mine, index, rules.rules['spatiotemporal-companion'], row.personRef ?? 'p-1', NOW);
		if (row.overlap === null) {
			expect(found).toEqual([]);
			return;
		}
		expect(found).toHaveLength(1);
		expect(found[0]!.caseRef).toBe('case-1');
		expect(found[0]!.overlapMinutes).toBeCloseTo(row.overlap, 6);
		expect(found[0]!.qualifies).toBe(row.qualifies);
		expect(found[0]!.casePointIds).toEqual([caseTrajectory[0]!.id]);
	});

	it('sums co-presence with one case over several places and days, and keeps cases apart', () => {
		const rules = rulesWith('grid');
		const far = offset(BASE, 5000, 0);
		const c1 = [
			...stay(BASE, NOW - 3 * DAY, 6, { prefix: 'c', away: CASE_AWAY }),
			...stay(far, NOW - 2 * DAY, 6, { prefix: 'c', away: CASE_AWAY })
		];
		const c2 = stay(far, NOW - DAY, 4, { prefix: 'd', away: offset(BASE, -30_000, 0) });
		const index = buildWorldIndex(
			world({
				caseTrajectories: [
					{ ref: 'b', points: c2 },
					{ ref: 'a', points: c1 }
				]
			}),
			rules
		);
		const mine = segments([...stay(BASE, NOW - 3 * DAY, 6), ...stay(far, NOW - 2 * DAY, 6), ...stay(far, NOW - DAY, 4)], index.maxGapS);
		const found = matchCompanions(mine, index, rules.rules['spatiotemporal-companion'], 'p', NOW);
		expect(found.map((m) => [m.caseRef, m.overlapMinutes, m.qualifies])).toEqual([
			['a', 12, true],
			['b', 4, false]
		]);
	});

	it('caps a point at maxPointGapMinutes (60): a 3-hour silence is not 3 hours together', () => {
		const rules = rulesWith('grid');
		const index = buildWorldIndex(world({ caseTrajectories: [{ ref: 'c', points: stay(BASE, NOW - DAY, 180, { prefix: 'c' }) }] }), rules);
		const found = matchCompanions(
			segments(stay(BASE, NOW - DAY, 180), index.maxGapS),
			index,
			rules.rules['spatiotemporal-companion'],
			'p',
			NOW
		);
		expect(found[0]!.overlapMinutes).toBe(60);
	});
});

describe('matchCompanions with carrier points (accuracyFactor 0, maxAccuracyM large)', () => {
	const c = DEFAULT_RULES.rules['spatiotemporal-companion'];
	const rule: CompanionRule = { ...c, precise: { ...c.precise, accuracyFactor: 0, maxAccuracyM: 5000 } };
	const rules: RuleSet = { ...DEFAULT_RULES, rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': rule } };
	const tower = offset(BASE, 100, 100);
	const index = buildWorldIndex(
		world({ caseTrajectories: [{ ref: 'k', points: stay(tower, NOW - DAY, 30, { accuracyM: 800, away: CASE_AWAY, prefix: 'k' }) }] }),
		rules
	);
	it.each([
		['same tower', tower, true],
		['a tower 600 m away', offset(tower, 600, 0), false]
	] as const)('%s', (_n, where, match) => {
		const found = matchCompanions(segments(stay(where, NOW - DAY, 30, { accuracyM: 800 }), index.maxGapS), index, rule, 'p', NOW);
		expect(found.some((m) => m.qualifies)).toBe(match);
	});
});
