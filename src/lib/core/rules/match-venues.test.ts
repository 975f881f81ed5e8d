import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import { DAY, MIN, NOW, world } from './fixtures.js';
import { matchVenueVisits } from './match-venues.js';
import { buildWorldIndex } from './spatial-index.js';

const index = buildWorldIndex(
	world({
		caseVisits: [
			{
				ref: 'a',
				visits: [
					{ id: 'a1', venueId: 'v', at: NOW - DAY },
					{ id: 'a2', venueId: 'v', at: NOW + 5 * MIN }
				]
			},
			{
				ref: 'b',
				visits: [
					{ id: 'b1', venueId: 'v', at: NOW - DAY + 20 * MIN },
					{ id: 'b2', venueId: 'w', at: Number.NaN }
				]
			}
		]
	}),
	DEFAULT_RULES
);
const rule = DEFAULT_RULES.rules['venue-co-visit'];

describe('matchVenueVisits', () => {
	it.each([
		['matches every case visit within ±30 min', NOW - DAY + 10 * MIN, ['a1', 'b1']],
		['−30 min edge is inclusive', NOW - DAY - 30 * MIN, ['a1']],
		['+30 min after b1 is inclusive', NOW - DAY + 50 * MIN, ['b1']],
		['case visits after now are ignored', NOW, []],
		['the person’s visit must be within 14 days', NOW - 14 * DAY - 1, []]
	] as const)('%s', (_n, at, expected) => {
		const found = matchVenueVisits([{ id: 'mine', venueId: 'v', at }], index, rule, 'p', NOW);
		expect(found.map((m) => m.caseVisitId)).toEqual(expected);
	});

	it('skips bad visits', () => {
		expect(matchVenueVisits([{ id: 'x', venueId: 'w', at: Number.NaN }], index, rule, 'p', NOW)).toEqual([]);
		expect(index.venues.get('w')).toBeUndefined();
	});
});
