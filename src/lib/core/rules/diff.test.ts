import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import { diffColours } from './diff.js';
import { BASE, DAY, NOW, offset, person, stay, world } from './fixtures.js';
import { cellBounds, cellOf } from './grid.js';
import type { RuleSet } from './rules-schema.js';

const cell = cellBounds(cellOf(BASE.lat, BASE.lon, 800)!.id)!;
/** 50 m in from the south-west corner of a cell: a point 600 m north-east is in the same cell */
const CASE_PLACE = offset({ lat: cell.south, lon: cell.west }, 50, 50);
const WORLD = world({
	caseTrajectories: [{ ref: 'case', points: stay(CASE_PLACE, NOW - DAY, 30, { prefix: 'c', away: offset(BASE, 0, -40_000) }) }]
});
const GRID: RuleSet = {
	...DEFAULT_RULES,
	version: 'grid',
	rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...DEFAULT_RULES.rules['spatiotemporal-companion'], method: 'grid' } }
};

describe('diffColours', () => {
	it('counts who would change colour between the grid and the precise method', () => {
		const near = person({ ref: 'near', trajectory: stay(offset(CASE_PLACE, 10, 0), NOW - DAY, 30) });
		const atTheSpot = person({ ref: 'spot', trajectory: stay(CASE_PLACE, NOW - DAY, 30) });
		const home = person({ ref: 'home', trajectory: stay(offset(BASE, 20_000, 0), NOW - DAY, 30) });
		const red = person({ ref: 'red', contacts: [{ id: 'c', kind: 'close', exposedAt: NOW - DAY, to: 'x' }] });
		const d = diffColours(GRID, DEFAULT_RULES, [near, atTheSpot, home, red], WORLD, NOW, { sampleSize: 5 });
		expect(d.total).toBe(4);
		expect(d.before).toEqual({ green: 1, yellow: 2, red: 1 });
		// both methods agree on these four
		expect(d.changed).toBe(0);
		expect(d.transitions).toEqual({});
	});

	it('reports transitions with samples', () => {
		const people = ['a', 'b', 'c'].map((ref, i) => person({ ref, trajectory: stay(offset(CASE_PLACE, 600, 600 + i), NOW - DAY, 30) }));
		// ~850 m away in the same cell: yellow for the grid rule, green for the precise rule
		const d = diffColours(GRID, DEFAULT_RULES, people, WORLD, NOW, { sampleSize: 2 });
		expect(d.before).toEqual({ green: 0, yellow: 3, red: 0 });
		expect(d.changed).toBe(3);
		expect(d.transitions).toEqual({ 'yellow->green': 3 });
		expect(d.samples).toEqual([
			{ ref: 'a', from: 'yellow', to: 'green' },
			{ ref: 'b', from: 'yellow', to: 'green' }
		]);
		expect(d.after).toEqual({ green: 3, yellow: 0, red: 0 });
	});

	it('sees a threshold change (close contacts turned off)', () => {
		const off: RuleSet = {
			...DEFAULT_RULES,
			rules: { ...DEFAULT_RULES.rules, 'close-contact': { ...DEFAULT_RULES.rules['close-contact'], active: false } }
		};
		const d = diffColours(
			DEFAULT_RULES,
			off,
			[person({ ref: 'r', contacts: [{ id: 'c', kind: 'close', exposedAt: NOW - DAY, to: 'x' }] })],
			WORLD,
			NOW
		);
		expect(d).toMatchObject({ total: 1, changed: 1, transitions: { 'red->green': 1 }, samples: [{ ref: 'r', from: 'red', to: 'green' }] });
	});
});
