import { describe, expect, it } from 'vitest';
import { REGION_NAMES } from './regions-data.js';
import { isCountyLevelRegion, isRegionCode, prefectureOf, provinceOf, regionLevel, regionName } from './regions.js';

describe('regions', () => {
	it.each([
		['110000', '北京市', 'province', false, '110000', undefined],
		['110101', '东城区', 'county', true, '110000', '110100'],
		['440300', '深圳市', 'prefecture', false, '440000', '440300'],
		['440305', '南山区', 'county', true, '440000', '440300'],
		['441900', '东莞市', 'prefecture', true, '440000', '441900'],
		['653228', '和康县', 'county', true, '650000', '653200'],
		['810000', '香港特别行政区', 'province', true, '810000', undefined]
	])('%s %s', (code, name, level, county, province, prefecture) => {
		expect(regionName(code)).toBe(name);
		expect(isRegionCode(code)).toBe(true);
		expect(regionLevel(code)).toBe(level);
		expect(isCountyLevelRegion(code)).toBe(county);
		expect(provinceOf(code)).toBe(province);
		expect(prefectureOf(code)).toBe(prefecture);
	});

	it.each(['', '44030', '4403050', 'abcdef', '440399', '441901', '370171', '710101', '350402', 'toString', '__proto__'])(
		'%j is not a code',
		(code) => {
			expect(isRegionCode(code)).toBe(false);
			expect(regionName(code)).toBeUndefined();
			expect(provinceOf(code)).toBeUndefined();
			expect(isCountyLevelRegion(code)).toBe(false);
		}
	);

	it('the table is whole: every code has its parents, 34 provinces', () => {
		const codes = Object.keys(REGION_NAMES);
		expect(codes.filter((c) => c.endsWith('0000'))).toHaveLength(34);
		expect(codes.length).toBeGreaterThan(3000);
		for (const c of codes) {
			expect(c).toMatch(/^\d{6}$/);
			expect(REGION_NAMES[`${c.slice(0, 2)}0000`]).toBeDefined();
			if (!c.endsWith('00')) expect(REGION_NAMES[`${c.slice(0, 4)}00`]).toBeDefined();
		}
	});
});
