import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import type { RiskArea } from './facts.js';
import { BASE, DAY, MIN, NOW, offset, square, stay, world } from './fixtures.js';
import { M_PER_DEG } from './geo.js';
import { cellBounds, cellOf } from './grid.js';
import { matchRiskAreas } from './match-risk-areas.js';
import type { RiskAreaRule, RuleSet } from './rules-schema.js';
import { validateRules } from './rules-schema.js';
import { buildWorldIndex } from './spatial-index.js';
import { segments } from './trajectory.js';

/** The defaults with both risk-area rules' geometry fields patched. */
function withGeometry(
	patch: Partial<Pick<RiskAreaRule, 'accuracyFactor' | 'maxAccuracyM'>>,
	levels: ('high' | 'medium')[] = ['high', 'medium']
): RuleSet {
	const rules = { ...DEFAULT_RULES.rules };
	for (const l of levels) rules[`${l}-risk-area-stay`] = { ...rules[`${l}-risk-area-stay`], ...patch };
	return { ...DEFAULT_RULES, rules };
}
/** Centre only (accuracyFactor 0): the windows and edges below are about the centre rule. */
const CENTRE = withGeometry({ accuracyFactor: 0 });

/** a place 2 km east of the polygon, whose cell is the medium-risk area */
const CP = offset(BASE, 2000, 0);
const c = cellOf(CP.lat, CP.lon, 800)!;
const cb = cellBounds(c.id)!;
const AREAS: RiskArea[] = [
	{ id: 'poly', level: 'high', shape: { type: 'polygon', ring: square(BASE, 400) }, from: NOW - 10 * DAY },
	{ id: 'cells', level: 'medium', shape: { type: 'cells', cells: [c.id, c.id] }, from: NOW - 10 * DAY, until: NOW - DAY }
];

interface Row {
	name: string;
	at: { lat: number; lon: number };
	ago: number;
	minutes: number;
	expected: [string, number][];
}
const T = 3 * DAY;
const ROWS: Row[] = [
	{ name: 'centre of the polygon', at: BASE, ago: T, minutes: 20, expected: [['poly', 20]] },
	{ name: '1 m inside the polygon edge', at: offset(BASE, 399, 0), ago: T, minutes: 20, expected: [['poly', 20]] },
	{ name: '1 m outside the polygon edge', at: offset(BASE, 401, 0), ago: T, minutes: 20, expected: [] },
	{ name: 'in the cell', at: CP, ago: T, minutes: 20, expected: [['cells', 20]] },
	{
		name: '1 m inside the cell (south edge)',
		at: { lat: cb.south + 1 / M_PER_DEG, lon: CP.lon },
		ago: T,
		minutes: 20,
		expected: [['cells', 20]]
	},
	{ name: '1 m outside the cell (south edge)', at: { lat: cb.south - 1 / M_PER_DEG, lon: CP.lon }, ago: T, minutes: 20, expected: [] },
	{ name: 'a lone point inside is presence of 0 minutes', at: BASE, ago: T, minutes: 0, expected: [['poly', 0]] },
	{ name: 'area window end is exclusive: clipped at until', at: CP, ago: DAY + 10 * MIN, minutes: 20, expected: [['cells', 10]] },
	{ name: 'at exactly until: not in the area', at: CP, ago: DAY, minutes: 20, expected: [] },
	{ name: 'before the area existed: not a stay', at: BASE, ago: 11 * DAY, minutes: 20, expected: [] },
	{ name: 'while the area existed but before the 7-day look-back: nothing', at: BASE, ago: 10 * DAY + 5 * MIN, minutes: 20, expected: [] },
	{ name: 'look-back 7 days is inclusive at its start', at: BASE, ago: 7 * DAY, minutes: 0, expected: [['poly', 0]] },
	{ name: 'one second before the look-back window: nothing', at: BASE, ago: 7 * DAY + 1, minutes: 0, expected: [] },
	{
		name: 'a stay across the look-back start counts the part inside',
		at: BASE,
		ago: 7 * DAY + 5 * MIN,
		minutes: 20,
		expected: [['poly', 15]]
	}
];

describe('matchRiskAreas (centre only: windows and edges)', () => {
	const index = buildWorldIndex(world({ riskAreas: AREAS }), CENTRE);
	it.each(ROWS)('$name', ({ at, ago, minutes, expected }) => {
		const stays = matchRiskAreas(segments(stay(at, NOW - ago, minutes), index.maxGapS), index, CENTRE, NOW);
		expect(stays.map((s) => [s.areaId, Math.round(s.dwellMinutes * 1000) / 1000])).toEqual(expected);
	});

	it('reports the last instant of presence and the points', () => {
		const pts = stay(BASE, NOW - T, 20);
		const [s] = matchRiskAreas(segments(pts, index.maxGapS), index, DEFAULT_RULES, NOW);
		expect(s).toMatchObject({ areaId: 'poly', level: 'high', lastAt: NOW - T + 20 * MIN, pointIds: [pts[0]!.id] });
	});

	it('skips unusable areas', () => {
		const bad = [
			{ id: 'x', level: 'low', shape: { type: 'cells', cells: [c.id] }, from: 0 },
			{ id: 'y', level: 'high', shape: { type: 'polygon', ring: [[0, 0]] }, from: 0 },
			{ id: 'z', level: 'high', shape: { type: 'cells', cells: [c.id] }, from: Number.NaN }
		] as unknown as RiskArea[];
		const idx = buildWorldIndex(world({ riskAreas: bad }), DEFAULT_RULES);
		expect(idx.areas).toEqual([]);
	});
});

/**
 * The accuracy radius (docs/rules.md, "Risk areas"): a point counts only when its disk of radius
 * accuracyFactor·r lies inside the area. The places mirror the demo city: a 120 m high-risk square (the
 * market) with a cell tower 37 m from its centre, a big 6 km high-risk square, one 800 m medium-risk cell
 * and a medium-risk block of 800 m cells covering at least 4 km × 4 km.
 */
describe('matchRiskAreas: the accuracy radius', () => {
	const BIG = offset(BASE, 20_000, 0);
	const BLOCK = offset(BASE, -20_000, 0);
	const blockCells = new Set<string>();
	for (let e = -2000; e <= 2000; e += 100)
		for (let n = -2000; n <= 2000; n += 100) blockCells.add(cellOf(offset(BLOCK, e, n).lat, offset(BLOCK, e, n).lon, 800)!.id);
	const areas: RiskArea[] = [
		{ id: 'market', level: 'high', shape: { type: 'polygon', ring: square(BASE, 60) }, from: NOW - 10 * DAY },
		{ id: 'big', level: 'high', shape: { type: 'polygon', ring: square(BIG, 3000) }, from: NOW - 10 * DAY },
		{ id: 'cell', level: 'medium', shape: { type: 'cells', cells: [c.id] }, from: NOW - 10 * DAY },
		{ id: 'block', level: 'medium', shape: { type: 'cells', cells: [...blockCells] }, from: NOW - 10 * DAY }
	];
	const cellCentre = { lat: (cb.south + cb.north) / 2, lon: (cb.west + cb.east) / 2 };
	/** a rule set stored before the geometry fields existed */
	const legacyDoc = JSON.parse(JSON.stringify(DEFAULT_RULES)) as { rules: Record<string, Record<string, unknown>> };
	for (const name of ['high-risk-area-stay', 'medium-risk-area-stay']) {
		delete legacyDoc.rules[name]!.accuracyFactor;
		delete legacyDoc.rules[name]!.maxAccuracyM;
	}
	const LEGACY = validateRules(legacyDoc);
	/** never matches anything: makes the legacy row fail if the legacy document did not validate */
	const CENTRE_NOT_VALID = withGeometry({ maxAccuracyM: 0 });
	const rows: { name: string; at: { lat: number; lon: number }; r: number; rules?: RuleSet; expected: string[] }[] = [
		{ name: 'GPS point (10 m) at the market centre → counted', at: BASE, r: 10, expected: ['market'] },
		{ name: 'GPS point (10 m), 15 m inside the edge → counted', at: offset(BASE, 45, 0), r: 10, expected: ['market'] },
		{
			name: 'GPS point (10 m), centre 5 m inside but the circle crosses the edge → not counted',
			at: offset(BASE, 55, 0),
			r: 10,
			expected: []
		},
		{ name: 'circle 1 m inside the edge (30 m deep, r = 29 m) → counted', at: offset(BASE, 30, 0), r: 29, expected: ['market'] },
		{ name: 'circle 1 m across the edge (30 m deep, r = 31 m) → not counted', at: offset(BASE, 30, 0), r: 31, expected: [] },
		{
			name: 'near a corner the nearer edge decides: 10 m from two edges, r = 9 m → counted',
			at: offset(BASE, 50, 50),
			r: 9,
			expected: ['market']
		},
		{
			name: 'near a corner the nearer edge decides: 10 m from two edges, r = 11 m → not counted',
			at: offset(BASE, 50, 50),
			r: 11,
			expected: []
		},
		{ name: 'cell point (tower 37 m from the market centre, r = 800 m) → not counted', at: offset(BASE, 37, 0), r: 800, expected: [] },
		{
			name: 'the same tower point, centre only (accuracyFactor 0) → counted',
			at: offset(BASE, 37, 0),
			r: 800,
			rules: CENTRE,
			expected: ['market']
		},
		{
			name: 'the same tower point under a stored pre-geometry rule set → counted as before',
			at: offset(BASE, 37, 0),
			r: 800,
			rules: LEGACY.ok ? LEGACY.rules : CENTRE_NOT_VALID,
			expected: ['market']
		},
		{
			name: 'half the radius (accuracyFactor 0.5): 30 m deep, r = 60 m → counted',
			at: offset(BASE, 30, 0),
			r: 60,
			rules: withGeometry({ accuracyFactor: 0.5 }),
			expected: ['market']
		},
		{ name: 'cell point (r = 800 m) at the centre of the 6 km area → counted', at: BIG, r: 800, expected: ['big'] },
		{
			name: 'cell point (r = 1500 m) 2 km from the centre of the 6 km area: 1 km deep → not counted',
			at: offset(BIG, 2000, 0),
			r: 1500,
			expected: []
		},
		{ name: 'maxAccuracyM 800: r exactly 800 m → counted', at: BIG, r: 800, rules: withGeometry({ maxAccuracyM: 800 }), expected: ['big'] },
		{ name: 'maxAccuracyM 800: r = 801 m → not counted', at: BIG, r: 801, rules: withGeometry({ maxAccuracyM: 800 }), expected: [] },
		{
			name: 'maxAccuracyM 5: even a GPS fix at the centre (r = 10 m) → not counted',
			at: BASE,
			r: 10,
			rules: withGeometry({ maxAccuracyM: 5 }),
			expected: []
		},
		{ name: 'cells: GPS point (10 m) at the cell centre → counted', at: cellCentre, r: 10, expected: ['cell'] },
		{
			name: 'cells: GPS point 20 m inside the south edge (r = 10 m) → counted',
			at: { lat: cb.south + 20 / M_PER_DEG, lon: cellCentre.lon },
			r: 10,
			expected: ['cell']
		},
		{
			name: 'cells: GPS point 5 m inside the south edge (r = 10 m) → not counted',
			at: { lat: cb.south + 5 / M_PER_DEG, lon: cellCentre.lon },
			r: 10,
			expected: []
		},
		{ name: 'cells: cell point (r = 500 m) at the centre of a single 800 m cell → not counted', at: cellCentre, r: 500, expected: [] },
		{ name: 'cells: cell point (r = 1500 m) in the middle of the 4 km block → counted', at: BLOCK, r: 1500, expected: ['block'] },
		{ name: 'cells: r = 3000 m in the middle of the block reaches cells outside → not counted', at: BLOCK, r: 3000, expected: [] },
		{
			name: 'levels use their own rule: medium centre only, high unchanged',
			at: cellCentre,
			r: 500,
			rules: withGeometry({ accuracyFactor: 0 }, ['medium']),
			expected: ['cell']
		}
	];
	it('a stored pre-geometry rule set validates', () => expect(LEGACY.ok).toBe(true));
	const index = buildWorldIndex(world({ riskAreas: areas }), DEFAULT_RULES);
	it.each(rows)('$name', ({ at, r, rules, expected }) => {
		const rs = rules ?? DEFAULT_RULES;
		const stays = matchRiskAreas(segments(stay(at, NOW - DAY, 20, { accuracyM: r }), index.maxGapS), index, rs, NOW);
		expect(stays.map((s) => s.areaId)).toEqual(expected);
	});

	it('the high level keeps its own geometry when only the medium rule changes', () => {
		const rules = withGeometry({ accuracyFactor: 0 }, ['medium']);
		const stays = matchRiskAreas(segments(stay(offset(BASE, 37, 0), NOW - DAY, 20, { accuracyM: 800 }), index.maxGapS), index, rules, NOW);
		expect(stays).toEqual([]);
	});

	it('counts an area found through cells of two sizes once', () => {
		const two: RiskArea[] = [
			{ id: 'two', level: 'medium', shape: { type: 'cells', cells: [c.id, cellOf(CP.lat, CP.lon, 400)!.id] }, from: NOW - 10 * DAY }
		];
		const idx = buildWorldIndex(world({ riskAreas: two }), DEFAULT_RULES);
		const stays = matchRiskAreas(segments(stay(CP, NOW - DAY, 20, { accuracyM: 0 }), idx.maxGapS), idx, DEFAULT_RULES, NOW);
		expect(stays.map((s) => [s.areaId, s.dwellMinutes])).toEqual([['two', 20]]);
	});
});

/**
 * The server picks candidates for a new area by the point's centre (src/lib/server/recolour/affected.ts); that is
 * only correct if a stricter geometry never counts a stay the centre rule does not: for any point, radius and
 * geometry, the stays found are a subset of the centre-only stays, with no more dwell.
 */
describe('matchRiskAreas: any geometry counts a subset of the centre-only stays', () => {
	const CELLS = new Set<string>();
	for (let e = -1200; e <= 1200; e += 200)
		for (let n = -1200; n <= 1200; n += 200) CELLS.add(cellOf(offset(CP, e, n).lat, offset(CP, e, n).lon, 800)!.id);
	const areas: RiskArea[] = [
		{ id: 'poly', level: 'high', shape: { type: 'polygon', ring: square(BASE, 400) }, from: NOW - 10 * DAY },
		{ id: 'cells', level: 'medium', shape: { type: 'cells', cells: [...CELLS] }, from: NOW - 10 * DAY }
	];
	const index = buildWorldIndex(world({ riskAreas: areas }), DEFAULT_RULES);
	it('holds for random points near both areas', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(BASE, CP),
				fc.integer({ min: -2500, max: 2500 }),
				fc.integer({ min: -2500, max: 2500 }),
				fc.integer({ min: 0, max: 3000 }),
				fc.double({ min: 0, max: 3, noNaN: true }),
				fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
				(centre, e, n, r, accuracyFactor, maxAccuracyM) => {
					const segs = segments(stay(offset(centre, e, n), NOW - DAY, 20, { accuracyM: r }), index.maxGapS);
					const strict = matchRiskAreas(segs, index, withGeometry({ accuracyFactor, maxAccuracyM }), NOW);
					const loose = new Map(matchRiskAreas(segs, index, CENTRE, NOW).map((s) => [s.areaId, s.dwellMinutes]));
					for (const s of strict) expect(s.dwellMinutes).toBeLessThanOrEqual(loose.get(s.areaId) ?? -1);
				}
			),
			{ numRuns: 500 }
		);
	});
});
