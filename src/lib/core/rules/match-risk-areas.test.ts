import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import type { RiskArea } from './facts.js';
import { BASE, DAY, MIN, NOW, offset, square, stay, world } from './fixtures.js';
import { M_PER_DEG } from './geo.js';
import { cellBounds, cellOf } from './grid.js';
import { matchRiskAreas } from './match-risk-areas.js';
import { buildWorldIndex } from './spatial-index.js';
import { segments } from './trajectory.js';

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
	{ name: '1 m inside the cell (south edge)', at: { lat: cb.south + 1 / M_PER_DEG, lon: CP.lon }, ago: T, minutes: 20, expected: [['cells', 20]] },
	{ name: '1 m outside the cell (south edge)', at: { lat: cb.south - 1 / M_PER_DEG, lon: CP.lon }, ago: T, minutes: 20, expected: [] },
	{ name: 'a lone point inside is presence of 0 minutes', at: BASE, ago: T, minutes: 0, expected: [['poly', 0]] },
	{ name: 'area window end is exclusive: clipped at until', at: CP, ago: DAY + 10 * MIN, minutes: 20, expected: [['cells', 10]] },
	{ name: 'at exactly until: not in the area', at: CP, ago: DAY, minutes: 20, expected: [] },
	{ name: 'before the area existed: not a stay', at: BASE, ago: 11 * DAY, minutes: 20, expected: [] },
	{ name: 'while the area existed but before the 7-day look-back: nothing', at: BASE, ago: 10 * DAY + 5 * MIN, minutes: 20, expected: [] },
	{ name: 'look-back 7 days is inclusive at its start', at: BASE, ago: 7 * DAY, minutes: 0, expected: [['poly', 0]] },
	{ name: 'one second before the look-back window: nothing', at: BASE, ago: 7 * DAY + 1, minutes: 0, expected: [] },
	{ name: 'a stay across the look-back start counts the part inside', at: BASE, ago: 7 * DAY + 5 * MIN, minutes: 20, expected: [['poly', 15]] }
];

describe('matchRiskAreas', () => {
	const index = buildWorldIndex(world({ riskAreas: AREAS }), DEFAULT_RULES);
	it.each(ROWS)('$name', ({ at, ago, minutes, expected }) => {
		const stays = matchRiskAreas(segments(stay(at, NOW - ago, minutes), index.maxGapS), index, DEFAULT_RULES, NOW);
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
