import { describe, expect, it } from 'vitest';
import { validate, withPatch } from './declaration-fixtures.js';

describe('validateDeclaration: a valid declaration', () => {
	it.each([
		['a Latin name with accents', { name: 'José Martínez' }, 'José Martínez'],
		['hyphen and curly apostrophe', { name: 'Mary-Jane O’Neil' }, "Mary-Jane O'Neil"],
		['full-width space', { name: '欧阳　娜娜' }, '欧阳 娜娜'],
		['one character', { name: '王' }, '王'],
		['30 characters', { name: '张'.repeat(30) }, '张'.repeat(30)]
	])('name: %s', (_label, patch, name) => {
		expect(validate(withPatch(patch))).toMatchObject({ ok: true, value: { name } });
	});

	it.each([
		['441900', '东莞市 has no county level'],
		['460300', '三沙市 has no coded county level'],
		['810000', 'Hong Kong'],
		['110101', 'a district of a municipality'],
		['500229', 'a county of Chongqing'],
		['429004', 'a county-level city under the province (仙桃市)']
	])('region %s is county-level (%s)', (region) => {
		expect(validate(withPatch({ region })).ok).toBe(true);
	});
});

describe('validateDeclaration: boundaries', () => {
	it.each([
		'13800138000',
		'+8613800138000',
		'+86 138 0013 8000',
		'+86-138-0013-8000',
		'+86 (138) 0013 8000',
		'0086 13800138000',
		'138 0013 8000',
		'１３８００１３８０００',
		'＋８６１３８００１３８０００'
	])('phone %s → 13800138000', (phone) => {
		expect(validate(withPatch({ phone }))).toMatchObject({ ok: true, value: { phone: '13800138000' } });
	});

	it.each(['13', '14', '15', '16', '17', '18', '19'])('phone prefix %s is a mobile number', (p) => {
		expect(validate(withPatch({ phone: `${p}012345678` })).ok).toBe(true);
	});
});
