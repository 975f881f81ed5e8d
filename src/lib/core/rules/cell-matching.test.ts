/**
 * The precise companion rule's cell-based points: which cells could serve a fix, stay-aware refinement, and
 * co-presence at the resolution of one cell at coarseWeight (docs/rules.md, "Spatiotemporal companions").
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import type { CellSite, TrajectoryPoint } from './facts.js';
import { BASE, DAY, MIN, NOW, offset, twoTowers, world } from './fixtures.js';
import { matchCompanions } from './match-companions.js';
import { refineCellSegments } from './refine-cell-segments.js';
import { validateRules, type CompanionRule, type RuleSet } from './rules-schema.js';
import { buildCellIndex, cellsServing } from './serving-cells.js';
import { segments } from './trajectory.js';
import { buildWorldIndex } from './spatial-index.js';

// two towers 600 m apart on an east–west line, 500 m nominal radius
const { A, B, CELLS } = twoTowers(600, 500);
const cells = buildCellIndex(CELLS);
const FAR = offset(BASE, 0, -30_000);

describe('cellsServing', () => {
	it.each([
		['next to A', 50, 10, 1, ['A']],
		['295 m east, 20 m accuracy: A nearest, B 305 m ≤ 295 + 1·20', 295, 20, 1, ['A', 'B']],
		['250 m east, 20 m accuracy: B 350 m > 250 + 20', 250, 20, 1, ['A']],
		['same fix with tolerance factor 5: 350 ≤ 250 + 100', 250, 20, 5, ['A', 'B']],
		['520 m west of A, 10 m accuracy: beyond A’s 500 m radius + 10', -520, 10, 1, []],
		['exactly at A’s radius + accuracy (490 + 10)', -490, 10, 1, ['A']]
	] as const)('%s', (_n, east, acc, k, want) => {
		const p = offset(A, east, 0);
		expect(cellsServing(cells, p.lat, p.lon, acc, k)).toEqual(want);
	});

	it('has no answer without a cell table, and skips unusable rows', () => {
		expect(cellsServing(buildCellIndex(undefined), A.lat, A.lon, 10, 1)).toEqual([]);
		const odd = buildCellIndex([
			{ id: 'x', lat: Number.NaN, lon: 0, radiusM: 10 },
			{ id: 'y', lat: 1, lon: 1, radiusM: -1 },
			...CELLS,
			{ ...CELLS[0]!, lat: 0 }
		]);
		expect(odd.cells.map((c) => c.id)).toEqual(['A', 'B']);
	});
});

const fix = (id: string, at: number, p: { lat: number; lon: number }, accuracyM = 10): TrajectoryPoint => ({
	id,
	at,
	lat: p.lat,
	lon: p.lon,
	accuracyM
});
const cellPt = (id: string, at: number, cell: CellSite, accuracyM = cell.radiusM): TrajectoryPoint => ({
	id,
	at,
	lat: cell.lat,
	lon: cell.lon,
	accuracyM,
	cell: cell.id
});

describe('refineCellSegments', () => {
	const o = { maxAccuracyM: 200, refineS: 120 * MIN, toleranceFactor: 1 };
	const home = offset(A, 100, 0);
	const t = NOW - DAY;
	const refined = (pts: TrajectoryPoint[], opts = o) => refineCellSegments(segments(pts, 3600), cells, opts);
	it('gives a cell point the position of the next fix in its cell', () => {
		const r = refined([fix('f1', t, home), cellPt('c', t + 60 * MIN, CELLS[0]!), fix('f2', t + 120 * MIN, home, 15)]);
		expect(r[1]).toMatchObject({ id: 'c', lat: home.lat, lon: home.lon, accuracyM: 15 });
		expect(r[1]!.cell).toBeUndefined();
	});
	it('falls back to the previous fix', () => {
		const r = refined([fix('f1', t, home), cellPt('c', t + 60 * MIN, CELLS[0]!)]);
		expect(r[1]).toMatchObject({ lat: home.lat, accuracyM: 10 });
	});
	it.each([
		['the fix is in another cell', [fix('f1', t, offset(B, 50, 0)), cellPt('c', t + 60 * MIN, CELLS[0]!)]],
		['another cell intervenes', [cellPt('c', t, CELLS[0]!), cellPt('b', t + 10 * MIN, CELLS[1]!), fix('f2', t + 20 * MIN, home)]],
		['the fix is more than refineMinutes away', [cellPt('c', t, CELLS[0]!), fix('f2', t + 121 * MIN, home)]]
	])('leaves the cell point as it is when %s', (_n, pts) => {
		const r = refined(pts);
		const c = r.find((s) => s.id === 'c')!;
		expect(c).toMatchObject({ lat: A.lat, lon: A.lon, cell: 'A' });
	});
	it('refines at exactly refineMinutes, and not at all when refineMinutes is 0', () => {
		const pts = [cellPt('c', t, CELLS[0]!), fix('f2', t + 120 * MIN, home)];
		expect(refined(pts)[0]!.lat).toBe(home.lat);
		expect(refined(pts, { ...o, refineS: 0 })[0]!.lat).toBe(A.lat);
	});
});

function rulesWith(precise: Partial<CompanionRule['precise']> = {}): RuleSet {
	const c = DEFAULT_RULES.rules['spatiotemporal-companion'];
	return {
		...DEFAULT_RULES,
		rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...c, method: 'precise', precise: { ...c.precise, ...precise } } }
	};
}

describe('matchCompanions: co-presence known to one cell counts at coarseWeight', () => {
	const t = NOW - DAY;
	// the case is known only by cell A for `minutes`, then far away
	const casePts = (minutes: number) => [cellPt('k1', t, CELLS[0]!), fix('k2', t + minutes * MIN, FAR)];
	const personAt = (first: TrajectoryPoint, minutes: number) => [first, fix('p2', t + minutes * MIN, FAR)];
	const run = (
		person: TrajectoryPoint[],
		caseMinutes: number,
		precise: Partial<CompanionRule['precise']> = {},
		table: CellSite[] | null = CELLS
	) => {
		const rules = rulesWith(precise);
		const index = buildWorldIndex(
			world({ caseTrajectories: [{ ref: 'k', points: casePts(caseMinutes) }], ...(table === null ? {} : { cells: table }) }),
			rules
		);
		return matchCompanions(segments(person, index.maxGapS), index, rules.rules['spatiotemporal-companion'], 'p', NOW);
	};
	it.each([
		['same cell, 30 min → 15 min counted', cellPt('p1', t, CELLS[0]!), 30, 15, true],
		['same cell, exactly 20 min → 10 min: qualifies (≥ 10)', cellPt('p1', t, CELLS[0]!), 20, 10, true],
		['same cell, 19 min → 9.5 min', cellPt('p1', t, CELLS[0]!), 19, 9.5, false],
		['a fix 100 m from A, in cell A', fix('p1', t, offset(A, 100, 0)), 30, 15, true],
		['a fix 450 m east: nearer B, not in cell A', fix('p1', t, offset(A, 450, 0)), 30, null, false],
		['cell B', cellPt('p1', t, CELLS[1]!), 30, null, false]
	] as const)('%s', (_n, first, minutes, overlap, qualifies) => {
		const found = run(personAt(first, minutes), minutes);
		if (overlap === null) expect(found).toEqual([]);
		else expect(found[0]).toMatchObject({ caseRef: 'k', overlapMinutes: overlap, qualifies, pointIds: ['p1'], casePointIds: ['k1'] });
	});
	it('counts nothing at coarseWeight 0, and a fix needs the cell table', () => {
		expect(run(personAt(cellPt('p1', t, CELLS[0]!), 60), 60, { coarseWeight: 0 })).toEqual([]);
		expect(run(personAt(fix('p1', t, offset(A, 100, 0)), 60), 60, {}, null)).toEqual([]);
		// same cell ids still match without the table
		expect(run(personAt(cellPt('p1', t, CELLS[0]!), 60), 60, {}, null)[0]?.qualifies).toBe(true);
	});
	it('uses the case’s fix of the same stay instead of its cell: 40 m apart → full weight', () => {
		const rules = rulesWith();
		const spot = offset(A, 120, 0);
		const points = [fix('k0', t - 30 * MIN, spot), cellPt('k1', t, CELLS[0]!), fix('k2', t + 30 * MIN, FAR)];
		const index = buildWorldIndex(world({ caseTrajectories: [{ ref: 'k', points }], cells: CELLS }), rules);
		const found = matchCompanions(
			segments(personAt(fix('p1', t, offset(spot, 40, 0)), 30), index.maxGapS),
			index,
			rules.rules['spatiotemporal-companion'],
			'p',
			NOW
		);
		expect(found[0]).toMatchObject({ overlapMinutes: 30, qualifies: true });
	});
});

describe('rules documents from before the cell settings', () => {
	const legacy = JSON.parse(JSON.stringify(DEFAULT_RULES)) as { rules: Record<string, { precise?: Record<string, unknown> }> };
	const p = legacy.rules['spatiotemporal-companion']!.precise!;
	delete p.coarseWeight;
	delete p.cellToleranceFactor;
	delete p.refineMinutes;
	it('still validate, with cell matching off', () => {
		const r = validateRules(legacy);
		expect(r.ok && r.rules.rules['spatiotemporal-companion'].precise).toMatchObject({
			coarseWeight: 0,
			cellToleranceFactor: 1,
			refineMinutes: 0
		});
	});
	it.each([
		['coarseWeight', 1.5],
		['cellToleranceFactor', -1],
		['refineMinutes', 24 * 60 + 1]
	])('refuse %s = %s with rules/range at its path', (field, value) => {
		const doc = JSON.parse(JSON.stringify(DEFAULT_RULES)) as typeof legacy;
		doc.rules['spatiotemporal-companion']!.precise![field] = value;
		const r = validateRules(doc);
		expect(r.ok ? [] : r.errors).toEqual([
			expect.objectContaining({ path: `rules.spatiotemporal-companion.precise.${field}`, code: 'rules/range' })
		]);
	});
});
