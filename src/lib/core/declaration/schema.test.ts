import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECLARATION_ERRORS, type DeclarationErrorCode } from './declaration-errors.js';
import { BASE, DELETE, errorsOf, NOW, seen, trip, validate, withPatch, type Patch } from './declaration-fixtures.js';
import { validateDeclaration, type DeclarationResult } from './schema.js';

describe('validateDeclaration: a valid declaration', () => {
	it('is accepted, normalised, with derived flags and nothing else', () => {
		const r = validate(BASE);
		expect(r).toEqual({
			ok: true,
			value: { ...BASE, feverDeclared: false, symptomsDeclared: false }
		});
	});

	it('normalises what people type', () => {
		const r = validate({
			...BASE,
			name: ' 买买提 • 艾力 ',
			idType: undefined,
			idNumber: '１１０１０５ １９４９１２３１ ００２ｘ',
			phone: '+86 138-0013-8000',
			region: ' ４４０３０５ ',
			addressDetail: '  科技园\n南区\t1 栋  ',
			temperature: 36.599999999999994,
			symptoms: ['cough', 'fever'],
			travel: []
		});
		expect(r).toEqual({
			ok: true,
			value: {
				name: '买买提·艾力',
				idType: 'resident',
				idNumber: '11010519491231002X',
				phone: '13800138000',
				region: '440305',
				addressDetail: '科技园 南区 1 栋',
				temperature: 36.6,
				symptoms: ['cough', 'fever'],
				travel: [],
				feverDeclared: false,
				symptomsDeclared: true
			}
		});
	});
});

describe('validateDeclaration: one error per broken field', () => {
	const cases: [string, Patch, string, DeclarationErrorCode][] = [
		['name missing', { name: DELETE }, 'name', 'name/required'],
		['name undefined', { name: undefined }, 'name', 'name/required'],
		['name a number', { name: 42 }, 'name', 'name/type'],
		['name null', { name: null }, 'name', 'name/type'],
		['name empty', { name: '' }, 'name', 'name/length'],
		['name only spaces', { name: ' \u3000 ' }, 'name', 'name/length'],
		['name 31 characters', { name: '张'.repeat(31) }, 'name', 'name/length'],
		['name with a digit', { name: '张三3' }, 'name', 'name/characters'],
		['name starting with a dot', { name: '·张三' }, 'name', 'name/characters'],
		['name with an emoji', { name: '张三😀' }, 'name', 'name/characters'],
		['name with Cyrillic', { name: 'Иван' }, 'name', 'name/characters'],
		['name with markup', { name: '<b>Li</b>' }, 'name', 'name/characters'],

		['idType unknown', { idType: 'driving-licence' }, 'idType', 'idType/unknown'],
		['idType a number', { idType: 1 }, 'idType', 'idType/type'],
		['idType null', { idType: null }, 'idType', 'idType/type'],

		['idNumber missing', { idNumber: DELETE }, 'idNumber', 'id/required'],
		['idNumber a number', { idNumber: 110105194912310020 }, 'idNumber', 'id/type'],
		['idNumber 17 characters', { idNumber: '11010519491231002' }, 'idNumber', 'id/length'],
		['idNumber with a letter', { idNumber: '1101051949123100AX' }, 'idNumber', 'id/characters'],
		['idNumber region 99', { idNumber: '99010519491231002X' }, 'idNumber', 'id/region'],
		['idNumber born in the future', { idNumber: '110105203012310023' }, 'idNumber', 'id/birth-date'],
		['idNumber checksum', { idNumber: '110105194912310021' }, 'idNumber', 'id/checksum'],
		['passport too short', { idType: 'passport', idNumber: 'A12' }, 'idNumber', 'id/format'],
		['taiwan permit with a resident number', { idType: 'taiwan-permit', idNumber: '11010519491231002X' }, 'idNumber', 'id/format'],

		['phone missing', { phone: DELETE }, 'phone', 'phone/required'],
		['phone a number', { phone: 13800138000 }, 'phone', 'phone/type'],
		['phone 10 digits', { phone: '1380013800' }, 'phone', 'phone/format'],
		['phone 12 digits', { phone: '138001380001' }, 'phone', 'phone/format'],
		['phone starting 12', { phone: '12800138000' }, 'phone', 'phone/format'],
		['phone landline', { phone: '075588888888' }, 'phone', 'phone/format'],
		['phone US number', { phone: '+1 415 555 0100' }, 'phone', 'phone/format'],
		['phone 86 without +', { phone: '8613800138000' }, 'phone', 'phone/format'],
		['phone +86 landline', { phone: '+86 12800138000' }, 'phone', 'phone/format'],

		['region missing', { region: DELETE }, 'region', 'region/required'],
		['region a number', { region: 440305 }, 'region', 'region/type'],
		['region 5 digits', { region: '44030' }, 'region', 'region/format'],
		['region with letters', { region: '44030A' }, 'region', 'region/format'],
		['region unknown', { region: '440399' }, 'region', 'region/unknown'],
		['region a development zone (not GB/T 2260)', { region: '370171' }, 'region', 'region/unknown'],
		['region an invented town code', { region: '441901' }, 'region', 'region/unknown'],
		['region prefecture level', { region: '440300' }, 'region', 'region/not-county'],
		['region province level', { region: '440000' }, 'region', 'region/not-county'],

		['addressDetail missing', { addressDetail: DELETE }, 'addressDetail', 'addressDetail/required'],
		['addressDetail an array', { addressDetail: ['1 栋'] }, 'addressDetail', 'addressDetail/type'],
		['addressDetail empty', { addressDetail: '' }, 'addressDetail', 'addressDetail/length'],
		['addressDetail only spaces', { addressDetail: '   ' }, 'addressDetail', 'addressDetail/length'],
		['addressDetail 101 characters', { addressDetail: '栋'.repeat(101) }, 'addressDetail', 'addressDetail/length'],
		['addressDetail with NUL', { addressDetail: '1 栋\u0000' }, 'addressDetail', 'addressDetail/characters'],
		['addressDetail with a lone surrogate', { addressDetail: '1 栋\uD800' }, 'addressDetail', 'addressDetail/characters'],

		['temperature missing', { temperature: DELETE }, 'temperature', 'temperature/required'],
		['temperature a string', { temperature: '36.5' }, 'temperature', 'temperature/type'],
		['temperature NaN', { temperature: NaN }, 'temperature', 'temperature/type'],
		['temperature null', { temperature: null }, 'temperature', 'temperature/type'],
		['temperature Infinity', { temperature: Infinity }, 'temperature', 'temperature/range'],
		['temperature two decimals', { temperature: 36.55 }, 'temperature', 'temperature/precision'],

		['symptoms missing', { symptoms: DELETE }, 'symptoms', 'symptoms/required'],
		['symptoms empty', { symptoms: [] }, 'symptoms', 'symptoms/required'],
		['symptoms a string', { symptoms: 'none' }, 'symptoms', 'symptoms/type'],
		['symptoms unknown', { symptoms: ['cold'] }, 'symptoms.0', 'symptoms/unknown'],
		['symptoms a number', { symptoms: ['cough', 1] }, 'symptoms.1', 'symptoms/type'],
		['symptoms twice', { symptoms: ['cough', 'cough'] }, 'symptoms', 'symptoms/duplicate'],
		['symptoms none and cough', { symptoms: ['none', 'cough'] }, 'symptoms', 'symptoms/none-exclusive'],
		['symptoms 9 entries', { symptoms: Array<string>(9).fill('cough') }, 'symptoms', 'symptoms/too-many'],

		['travel missing', { travel: DELETE }, 'travel', 'travel/required'],
		['travel an object', { travel: {} }, 'travel', 'travel/type'],
		['travel 21 entries', { travel: Array(21).fill(BASE.travel[0]) }, 'travel', 'travel/too-many'],
		['travel huge, entries not looked at', { travel: Array(100_000).fill(null) }, 'travel', 'travel/too-many'],
		['travel entry null', { travel: [null] }, 'travel.0', 'travel/item-type'],
		['travel entry an array', { travel: [['420102']] }, 'travel.0', 'travel/item-type'],
		['travel region missing', trip({ region: DELETE }), 'travel.0.region', 'region/required'],
		['travel region unknown', trip({ region: '420199' }), 'travel.0.region', 'region/unknown'],
		['travel region format', trip({ region: 'Wuhan' }), 'travel.0.region', 'region/format'],
		['travel to missing', trip({ to: DELETE }), 'travel.0.to', 'date/required'],
		['travel from a number', trip({ from: 20260603 }), 'travel.0.from', 'date/type'],
		['travel from 30 February', trip({ from: '2026-02-30' }), 'travel.0.from', 'date/format'],
		['travel from with slashes', trip({ from: '2026/06/03' }), 'travel.0.from', 'date/format'],
		['travel from with a time', trip({ from: '2026-06-03T08:00:00Z' }), 'travel.0.from', 'date/format'],
		['travel to before from', trip({ from: '2026-06-05', to: '2026-06-03' }), 'travel.0.to', 'travel/order'],
		['travel entry with an extra field', trip({ note: '出差' }), 'travel.0.note', 'declaration/unknown-field'],

		['declaredAt is not input', { declaredAt: NOW }, 'declaredAt', 'declaration/unknown-field'],
		['derived flags are not input', { feverDeclared: false }, 'feverDeclared', 'declaration/unknown-field']
	];

	it.each(cases)('%s → %s %s', (_label, patch, field, code) => {
		expect(errorsOf(withPatch(patch))).toEqual([[field, code]]);
	});

	it.each([null, undefined, 42, 'declaration', [], [BASE], new Date(NOW), new Map()])(
		'a non-object input (%s) → declaration/type',
		(input) => {
			expect(errorsOf(input)).toEqual([['', 'declaration/type']]);
		}
	);

	it('idNumber is checked only once idType is valid', () => {
		expect(errorsOf(withPatch({ idType: 'licence', idNumber: '123' }))).toEqual([['idType', 'idType/unknown']]);
	});

	it('reports keys valibot itself skips (__proto__, constructor) as unknown fields', () => {
		const input = JSON.parse(
			JSON.stringify({ ...BASE, travel: [BASE.travel[0]] })
				.replace('{', '{"__proto__":{"x":1},"constructor":1,')
				.replace('"from"', '"prototype":1,"from"')
		) as unknown;
		expect(errorsOf(input)).toEqual([
			['travel.0.prototype', 'declaration/unknown-field'],
			['__proto__', 'declaration/unknown-field'],
			['constructor', 'declaration/unknown-field']
		]);
	});
});

describe('validateDeclaration: many errors at once', () => {
	it('collects every broken field, in form order, with bilingual messages', () => {
		const r = validate({
			name: '',
			idNumber: '110105194912310021',
			phone: '+86 12800138000',
			region: '440300',
			temperature: 45,
			symptoms: ['none', 'fever'],
			travel: [
				{ region: '420102', from: '2026-05-31', to: '2026-06-16' },
				{ region: '999999', from: '2026-06-10', to: '2026-06-09', mode: 'train' }
			],
			declaredAt: '2026-06-15'
		});
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.map((e) => [e.field, e.code])).toEqual([
			['name', 'name/length'],
			['idNumber', 'id/checksum'],
			['phone', 'phone/format'],
			['region', 'region/not-county'],
			['addressDetail', 'addressDetail/required'],
			['temperature', 'temperature/range'],
			['symptoms', 'symptoms/none-exclusive'],
			['travel.0.from', 'travel/too-early'],
			['travel.0.to', 'travel/future'],
			['travel.1.region', 'region/unknown'],
			['travel.1.to', 'travel/order'],
			['travel.1.mode', 'declaration/unknown-field'],
			['declaredAt', 'declaration/unknown-field']
		]);
		for (const e of r.errors) {
			expect(e.message).toEqual(DECLARATION_ERRORS[e.code as DeclarationErrorCode]);
			expect(e.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
			expect(e.message.en).toMatch(/^[\x20-\x7e\u00b0\u2013\u201c\u201d]+$/);
		}
	});

	it('reports all missing fields of an empty object', () => {
		expect(errorsOf({})).toEqual([
			['name', 'name/required'],
			['idNumber', 'id/required'],
			['phone', 'phone/required'],
			['region', 'region/required'],
			['addressDetail', 'addressDetail/required'],
			['temperature', 'temperature/required'],
			['symptoms', 'symptoms/required'],
			['travel', 'travel/required']
		]);
	});
});

describe('validateDeclaration: boundaries', () => {
	it('throws only for a time that is not a time', () => {
		expect(() => validateDeclaration(BASE, NaN)).toThrow(RangeError);
	});
});

describe('validateDeclaration: any input', () => {
	const known = new Set(Object.keys(DECLARATION_ERRORS));
	const checkResult = (r: DeclarationResult) => {
		if (r.ok) return;
		expect(r.errors.length).toBeGreaterThan(0);
		expect(new Set(r.errors.map((e) => e.field)).size).toBe(r.errors.length);
		for (const e of r.errors) {
			expect(known.has(e.code)).toBe(true);
			expect(e.code).not.toBe('declaration/invalid-value');
		}
	};

	it('never throws and only returns catalogued codes', () => {
		fc.assert(
			fc.property(fc.anything(), (input) => checkResult(validate(input))),
			{ numRuns: 500 }
		);
	});

	it('never throws on mutations of a valid declaration', () => {
		const field = fc.constantFrom(...Object.keys(BASE), 'extra');
		fc.assert(
			fc.property(fc.dictionary(field, fc.anything(), { maxKeys: 4 }), (patch) => checkResult(validate(withPatch(patch)))),
			{ numRuns: 500 }
		);
	});
});

it('every catalogued code except the fallback is produced by some test above', () => {
	const expected = Object.keys(DECLARATION_ERRORS).filter((c) => c !== 'declaration/invalid-value');
	expect(expected.filter((c) => !seen.has(c))).toEqual([]);
});
