import { describe, expect, it } from 'vitest';
import { BASE, errorsOf, trip, validate, withPatch } from './declaration-fixtures.js';

describe('validateDeclaration: a valid declaration', () => {
	it('travel regions may be any level', () => {
		for (const region of ['420000', '420100', '420102']) expect(validate(withPatch(trip({ region }))).ok).toBe(true);
	});
});

describe('validateDeclaration: boundaries', () => {
	it.each([
		['2026-06-01', 'exactly 14 days ago', null],
		['2026-05-31', '15 days ago', 'travel/too-early'],
		['2026-06-15', 'today', null],
		['2026-06-16', 'tomorrow', 'travel/future']
	])('travel on %s (%s)', (date, _label, code) => {
		const errors = errorsOf(withPatch(trip({ from: date, to: date })));
		expect(errors).toEqual(
			code === null
				? []
				: [
						['travel.0.from', code],
						['travel.0.to', code]
					]
		);
	});

	it('the window follows the calendar in China, not UTC', () => {
		const justBeforeMidnight = Date.parse('2026-06-14T15:59:59Z'); // 2026-06-14 23:59:59 in China
		const midnight = Date.parse('2026-06-14T16:00:00Z'); // 2026-06-15 00:00 in China
		expect(errorsOf(withPatch(trip({ from: '2026-05-31', to: '2026-06-14' })), justBeforeMidnight)).toEqual([]);
		expect(errorsOf(withPatch(trip({ from: '2026-06-15', to: '2026-06-15' })), justBeforeMidnight)).toEqual([
			['travel.0.from', 'travel/future'],
			['travel.0.to', 'travel/future']
		]);
		expect(errorsOf(withPatch(trip({ from: '2026-05-31', to: '2026-06-15' })), midnight)).toEqual([['travel.0.from', 'travel/too-early']]);
	});

	it('20 journeys are allowed', () => {
		expect(validate(withPatch({ travel: Array(20).fill(BASE.travel[0]) })).ok).toBe(true);
	});
});
