/**
 * Habitual-place imputation of the precise companion rule (habitual-places.ts, refine-cell-segments.ts;
 * docs/rules.md, "Spatiotemporal companions"): a cell-based point without a fix of the same stay takes the
 * person's one place in that cell, learned from their own fixes on more than one day.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import { evaluate } from './evaluate.js';
import type { CellSite, TrajectoryPoint } from './facts.js';
import { BASE, DAY, HOUR, MIN, NOW, offset, person, twoTowers, world } from './fixtures.js';
import { habitualPlaces, MIN_SPAN_S } from './habitual-places.js';
import { matchCompanions } from './match-companions.js';
import { refineCellSegments } from './refine-cell-segments.js';
import { validateRules, type CompanionRule, type RuleSet } from './rules-schema.js';
import { buildCellIndex } from './serving-cells.js';
import { buildWorldIndex } from './spatial-index.js';
import { segments } from './trajectory.js';

// two towers 1 200 m apart on an east–west line, 700 m nominal radius
const { A, B, CELLS } = twoTowers(1200, 700);
const cells = buildCellIndex(CELLS);
const FAR = offset(BASE, 0, -30_000);
const HOME = offset(A, 200, 100);

let n = 0;
const fix = (at: number, p: { lat: number; lon: number }, accuracyM = 20): TrajectoryPoint => ({
	id: `f${++n}`,
	at,
	lat: p.lat,
	lon: p.lon,
	accuracyM
});
const cellPt = (id: string, at: number, cell: CellSite): TrajectoryPoint => ({
	id,
	at,
	lat: cell.lat,
	lon: cell.lon,
	accuracyM: cell.radiusM,
	cell: cell.id
});

const o = { maxAccuracyM: 200, refineS: 120 * MIN, toleranceFactor: 1, habitualSpreadM: 100 };
const T = NOW - DAY;
/** fixes at HOME (± a few metres) on the nights before T, then the cell point at T, then far away 8 h later */
const history = (fixes: TrajectoryPoint[]) => [...fixes, cellPt('c', T, CELLS[0]!), fix(T + 8 * HOUR, FAR)];
const nights = [
	fix(T - 3 * DAY, offset(HOME, 10, 0)),
	fix(T - 2 * DAY, offset(HOME, -10, 0)),
	fix(T - 2 * DAY + 5 * HOUR, offset(HOME, 0, 10), 30)
];
const imputed = (pts: TrajectoryPoint[], opts = o) => refineCellSegments(segments(pts, 3600), cells, opts).find((s) => s.id === 'c')!;

describe('habitual places', () => {
	it('gives a cell point without a fix of its stay the centre of the person’s fixes in that cell', () => {
		const c = imputed(history(nights));
		expect(c.cell).toBeUndefined();
		const place = habitualPlaces(segments(history(nights), 3600), cells, o)('A')!;
		expect(c).toMatchObject({ lat: place.lat, lon: place.lon, accuracyM: place.accuracyM });
		// centre ≈ HOME (the three fixes are 10 m around it); radius = spread + mean accuracy (20, 20, 30)
		expect(Math.abs(place.lat - HOME.lat) * 111_000).toBeLessThan(5);
		expect(place.accuracyM).toBeGreaterThan(70 / 3 + 5);
		expect(place.accuracyM).toBeLessThan(70 / 3 + 15);
	});

	it.each([
		['off (habitualSpreadM 0)', nights, { habitualSpreadM: 0 }],
		['the fixes in the cell are at two places 300 m apart', [fix(T - 3 * DAY, HOME), fix(T - 2 * DAY, offset(HOME, -300, 0))], {}],
		['the fixes span less than MIN_SPAN_S (one visit)', [fix(T - 3 * DAY, HOME), fix(T - 3 * DAY + MIN_SPAN_S - 60, HOME)], {}],
		['there is one fix in the cell', [fix(T - 3 * DAY, HOME)], {}],
		['the fixes are in cell B', [fix(T - 3 * DAY, offset(B, 50, 0)), fix(T - 2 * DAY, offset(B, 50, 0))], {}],
		['the imputed radius would exceed maxAccuracyM', [fix(T - 3 * DAY, HOME, 199), fix(T - 2 * DAY, offset(HOME, 10, 0), 199)], {}],
		[
			'the spread limit is smaller than the spread',
			[fix(T - 3 * DAY, HOME), fix(T - 2 * DAY, offset(HOME, 60, 0))],
			{ habitualSpreadM: 25 }
		]
	])('leaves the cell point as it is when %s', (_n, fixes, patch) => {
		expect(imputed(history(fixes), { ...o, ...patch })).toMatchObject({ lat: A.lat, lon: A.lon, cell: 'A' });
	});

	it('imputes at exactly MIN_SPAN_S, and prefers a fix of the same stay', () => {
		expect(imputed(history([fix(T - 3 * DAY, HOME), fix(T - 3 * DAY + MIN_SPAN_S, HOME)])).cell).toBeUndefined();
		const spot = offset(A, -150, 0);
		const sameStay = [...nights, fix(T - 30 * MIN, spot, 15)];
		expect(imputed(history(sameStay))).toMatchObject({ lat: spot.lat, lon: spot.lon, accuracyM: 15 });
	});

	it('works with refinement off', () => {
		expect(imputed(history(nights), { ...o, refineS: 0 }).cell).toBeUndefined();
	});
});

function rulesWith(precise: Partial<CompanionRule['precise']>): RuleSet {
	const c = DEFAULT_RULES.rules['spatiotemporal-companion'];
	return {
		...DEFAULT_RULES,
		rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...c, method: 'precise', precise: { ...c.precise, ...precise } } }
	};
}

describe('matchCompanions with habitual places', () => {
	// the case is at a fix for 60 min from T, then far away
	const caseAt = (p: { lat: number; lon: number }) => [fix(T, p, 15), fix(T + 60 * MIN, FAR)];
	const run = (casePts: TrajectoryPoint[], habitualSpreadM: number) => {
		const rules = rulesWith({ habitualSpreadM });
		const index = buildWorldIndex(world({ caseTrajectories: [{ ref: 'k', points: casePts }], cells: CELLS }), rules);
		return matchCompanions(segments(history(nights), index.maxGapS), index, rules.rules['spatiotemporal-companion'], 'p', NOW);
	};
	it.each([
		// off: one-cell resolution, 60 min × coarseWeight 0.5
		['case at the person’s home, off', HOME, 0, 30],
		['case at the person’s home, on: a fix-to-fix match at full weight', offset(HOME, 20, 0), 100, 60],
		['case 400 m from home in the same cell, off: matched by the cell', offset(HOME, -400, 0), 0, 30],
		['case 400 m from home in the same cell, on: no match', offset(HOME, -400, 0), 100, null]
	] as const)('%s', (_n, where, spread, minutes) => {
		const found = run(caseAt(where), spread);
		if (minutes === null) expect(found).toEqual([]);
		else expect(found[0]).toMatchObject({ caseRef: 'k', overlapMinutes: minutes, qualifies: true, pointIds: ['c'] });
	});

	it('leaves the cases’ points as they are (a wrong place there would lose everyone near the case)', () => {
		const rules = rulesWith({ habitualSpreadM: 100 });
		// the case's own history: fixes at its desk on two days; then only cell A
		const desk = offset(A, -300, 0);
		const casePts = [fix(T - 2 * DAY, desk), fix(T - DAY, desk), cellPt('k1', T, CELLS[0]!), fix(T + 60 * MIN, FAR)];
		const index = buildWorldIndex(world({ caseTrajectories: [{ ref: 'k', points: casePts }], cells: CELLS }), rules);
		const at = (p: { lat: number; lon: number }) =>
			matchCompanions(
				segments([fix(T, p), fix(T + 60 * MIN, FAR)], index.maxGapS),
				index,
				rules.rules['spatiotemporal-companion'],
				'p',
				NOW
			);
		// both fixes are in cell A: co-present at the resolution of the cell, 60 min × coarseWeight 0.5
		expect(at(offset(desk, 30, 0))[0]).toMatchObject({ overlapMinutes: 30, casePointIds: ['k1'] });
		expect(at(offset(desk, 500, 0))[0]).toMatchObject({ overlapMinutes: 30, casePointIds: ['k1'] });
	});

	it('evaluate refuses an index built with another habitualSpreadM', () => {
		const other = buildWorldIndex(
			world(),
			rulesWith({ habitualSpreadM: DEFAULT_RULES.rules['spatiotemporal-companion'].precise.habitualSpreadM + 50 })
		);
		expect(() => evaluate(DEFAULT_RULES, person(), other, NOW)).toThrow(RangeError);
	});
});

describe('rules documents and habitualSpreadM', () => {
	const copy = () => JSON.parse(JSON.stringify(DEFAULT_RULES)) as { rules: Record<string, { precise: Record<string, unknown> }> };
	it('is 0 (off) when absent — what documents saved before the field meant', () => {
		const legacy = copy();
		delete legacy.rules['spatiotemporal-companion']!.precise.habitualSpreadM;
		const r = validateRules(legacy);
		expect(r.ok && r.rules.rules['spatiotemporal-companion'].precise.habitualSpreadM).toBe(0);
	});
	it.each([
		[-1, 'rules/range'],
		[1001, 'rules/range'],
		['100', 'rules/type'],
		[null, 'rules/type']
	])('refuses %s with %s at its path', (value, code) => {
		const doc = copy();
		doc.rules['spatiotemporal-companion']!.precise.habitualSpreadM = value;
		const r = validateRules(doc);
		expect(r.ok ? [] : r.errors).toEqual([
			expect.objectContaining({ path: 'rules.spatiotemporal-companion.precise.habitualSpreadM', code })
		]);
	});
	it.each([0, 100, 1000])('accepts %s', (value) => {
		const doc = copy();
		doc.rules['spatiotemporal-companion']!.precise.habitualSpreadM = value;
		expect(validateRules(doc).ok).toBe(true);
	});
});
