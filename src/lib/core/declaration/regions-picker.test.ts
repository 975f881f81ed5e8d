import { describe, expect, it } from 'vitest';
import { regionChildren, regionPath, searchRegions } from './regions.js';

describe('region picker helpers', () => {
	it('lists provinces, then a province’s cities, then a city’s districts', () => {
		const provinces = regionChildren('');
		expect(provinces).toHaveLength(34);
		expect(provinces[0]).toEqual({ code: '110000', name: '北京市' });
		expect(regionChildren('440000').map((r) => r.code)).toContain('440300');
		expect(regionChildren('440300').map((r) => r.name)).toContain('南山区');
		expect(regionChildren('110000')).toEqual([{ code: '110100', name: '北京市' }]);
	});
	it('names a code province first without repeating a municipality', () => {
		expect(regionPath('440305')).toBe('广东省 深圳市 南山区');
		expect(regionPath('110108')).toBe('北京市 海淀区');
		expect(regionPath('123456')).toBeUndefined();
	});
	it('finds county-level places by name, several terms or code prefix', () => {
		expect(searchRegions('南山')).toContainEqual({ code: '440305', name: '广东省 深圳市 南山区' });
		expect(searchRegions('深圳 福田').map((r) => r.code)).toEqual(['440304']);
		expect(searchRegions('440305').map((r) => r.code)).toEqual(['440305']);
		expect(searchRegions('  ')).toEqual([]);
		expect(searchRegions('区', 5)).toHaveLength(5);
	});
});
