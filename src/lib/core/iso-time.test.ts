import { describe, expect, it } from 'vitest';
import { CHINA_OFFSET_MINUTES, hasIsoZone, parseIsoTime } from './iso-time.js';

const T = Date.UTC(2026, 10, 20, 0, 30, 0); // 2026-11-20T08:30:00+08:00

describe('parseIsoTime', () => {
	it('reads every zone form the same: Z, +08:00, +0800, +08', () => {
		for (const s of [
			'2026-11-20T00:30:00Z',
			'2026-11-20T00:30:00z',
			'2026-11-20T08:30:00+08:00',
			'2026-11-20T08:30:00+0800',
			'2026-11-20T08:30:00+08',
			'2026-11-20T08:30+08:00',
			'2026-11-20T08:30+0800',
			'2026-11-20 08:30:00+08',
			'20261120T083000+0800',
			'20261120T0830+08',
			'2026-11-19T22:30:00-02:00',
			'2026-11-19T22:30-0200'
		])
			expect(parseIsoTime(s), s).toBe(T);
	});

	it('keeps fractions to the millisecond (more digits truncated; comma as decimal sign)', () => {
		expect(parseIsoTime('2026-11-20T00:30:00.5Z')).toBe(T + 500);
		expect(parseIsoTime('2026-11-20T00:30:00.123456789Z')).toBe(T + 123);
		expect(parseIsoTime('2026-11-20T08:30:00,25+0800')).toBe(T + 250);
	});

	it('a time without a zone only with a default offset (imports: China Standard Time)', () => {
		expect(parseIsoTime('2026-11-20T08:30:00')).toBeNaN();
		expect(parseIsoTime('2026-11-20T08:30:00', { defaultOffsetMinutes: CHINA_OFFSET_MINUTES })).toBe(T);
		expect(parseIsoTime('2026-11-20', { defaultOffsetMinutes: CHINA_OFFSET_MINUTES })).toBe(Date.UTC(2026, 10, 19, 16));
		expect(parseIsoTime('2026-11-20Z', { allowDateOnly: false })).toBeNaN();
	});

	it('refuses what is not a time instead of rolling it over', () => {
		for (const s of [
			'',
			'yesterday',
			'2026-02-29T00:00Z',
			'2026-13-01T00:00Z',
			'2026-11-20T25:00Z',
			'2026-11-20T24:01Z',
			'2026-11-20T08:60Z',
			'2026-11-20T08:30:60Z',
			'2026-11-20T08:30+24:00',
			'2026-11-20T08:30+08:60',
			'2026-11-20T08:30+8',
			'2026-11-20T08:30 +08:00',
			'2026-1120T08:30Z',
			'2026-11-20T8:30Z',
			'1763598600000'
		])
			expect(parseIsoTime(s), s).toBeNaN();
		expect(parseIsoTime('2024-02-29T00:00Z')).toBe(Date.UTC(2024, 1, 29));
		expect(parseIsoTime('2026-11-20T24:00Z')).toBe(Date.UTC(2026, 10, 21));
	});

	it('hasIsoZone tells a missing zone from a bad time', () => {
		expect(hasIsoZone('2026-11-20T08:30+0800')).toBe(true);
		expect(hasIsoZone('2026-11-20T08:30')).toBe(false);
	});
});
