import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { problem, PROBLEM_TYPE_BASE, validationProblem, type FieldError } from '../problem.js';
import { REGION_NAMES } from './regions-data.js';
import { isCountyLevelRegion, isRegionCode, prefectureOf, provinceOf, regionLevel, regionName } from './regions.js';
import { DECLARATION_ERRORS, idErrorText, validateDeclaration, type DeclarationErrorCode, type DeclarationResult } from './schema.js';

/** 2026-06-15 12:00 in China: the travel window is 2026-06-01 … 2026-06-15. */
const NOW = Date.parse('2026-06-15T04:00:00Z');

const BASE = {
	name: '张三丰',
	idType: 'resident',
	idNumber: '11010519491231002X',
	phone: '13800138000',
	region: '440305',
	addressDetail: '科技园南区 1 栋 101',
	temperature: 36.5,
	symptoms: ['none'],
	travel: [{ region: '420102', from: '2026-06-03', to: '2026-06-05' }]
};

const DELETE = Symbol('delete');
type Patch = Record<string, unknown>;
function withPatch(patch: Patch, base: Record<string, unknown> = BASE): Record<string, unknown> {
	const out: Record<string, unknown> = { ...base };
	for (const [k, v] of Object.entries(patch)) {
		if (v === DELETE) delete out[k];
		else out[k] = v;
	}
	return out;
}
const trip = (patch: Patch) => ({ travel: [withPatch(patch, { region: '420102', from: '2026-06-03', to: '2026-06-05' })] });

/** Every code any test saw, for the completeness check at the end. */
const seen = new Set<string>();
function validate(input: unknown, now = NOW): DeclarationResult {
	const r = validateDeclaration(input, now);
	if (!r.ok) for (const e of r.errors) seen.add(e.code);
	return r;
}
const errorsOf = (input: unknown, now = NOW): [string, string][] => {
	const r = validate(input, now);
	return r.ok ? [] : r.errors.map((e) => [e.field, e.code]);
};

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

	it.each([
		['a Latin name with accents', { name: 'José Martínez' }, 'José Martínez'],
		['hyphen and curly apostrophe', { name: 'Mary-Jane O’Neil' }, "Mary-Jane O'Neil"],
		['full-width space', { name: '欧阳　娜娜' }, '欧阳 娜娜'],
		['one character', { name: '王' }, '王'],
		['30 characters', { name: '张'.repeat(30) }, '张'.repeat(30)]
	])('name: %s', (_label, patch, name) => {
		expect(validate(withPatch(patch))).toMatchObject({ ok: true, value: { name } });
	});

	it('idType defaults to resident, and other documents follow their own rules', () => {
		expect(validate(withPatch({ idType: DELETE }))).toMatchObject({ ok: true, value: { idType: 'resident' } });
		expect(validate(withPatch({ idType: 'passport', idNumber: 'e1234567' }))).toMatchObject({
			ok: true,
			value: { idType: 'passport', idNumber: 'E1234567' }
		});
		expect(validate(withPatch({ idType: 'hk-macao-permit', idNumber: 'H12345678' })).ok).toBe(true);
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

	it('travel regions may be any level', () => {
		for (const region of ['420000', '420100', '420102']) expect(validate(withPatch(trip({ region }))).ok).toBe(true);
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

	it.each([
		[34.0, true, false],
		[33.9, 'temperature/range', false],
		[43.0, true, true],
		[43.1, 'temperature/range', false],
		[-36.5, 'temperature/range', false],
		[37.2, true, false],
		[37.3, true, true],
		[0.1 * 373, true, true], // 37.300000000000004
		[37.25, 'temperature/precision', false],
		[36.5, true, false]
	] as const)('temperature %s', (temperature, outcome, fever) => {
		const r = validate(withPatch({ temperature }));
		if (outcome === true) expect(r).toMatchObject({ ok: true, value: { feverDeclared: fever } });
		else expect(errorsOf(withPatch({ temperature }))).toEqual([['temperature', outcome]]);
	});

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

	it('symptoms other than none set symptomsDeclared', () => {
		expect(validate(withPatch({ symptoms: ['loss-of-smell-taste'] }))).toMatchObject({ ok: true, value: { symptomsDeclared: true } });
		expect(
			validate(
				withPatch({ symptoms: ['fever', 'cough', 'sore-throat', 'fatigue', 'loss-of-smell-taste', 'shortness-of-breath', 'diarrhoea'] })
			).ok
		).toBe(true);
	});

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

describe('problem details', () => {
	it('builds an RFC 9457 object', () => {
		expect(problem(404, 'not-found', 'Not found')).toEqual({
			type: `${PROBLEM_TYPE_BASE}not-found`,
			title: 'Not found',
			status: 404,
			code: 'not-found'
		});
		expect(
			problem(409, 'declaration/duplicate', 'Duplicate', 'already declared today', { instance: '/api/v1/declarations/7', retryAfter: 60 })
		).toEqual({
			type: 'https://tongxing.example/problems/declaration/duplicate',
			title: 'Duplicate',
			status: 409,
			code: 'declaration/duplicate',
			detail: 'already declared today',
			instance: '/api/v1/declarations/7',
			retryAfter: 60
		});
	});

	it('extras cannot replace the standard members', () => {
		expect(problem(400, 'bad-request', 'Bad', undefined, { type: 'x', status: 200, code: 'y', detail: 'z' })).toEqual({
			type: `${PROBLEM_TYPE_BASE}bad-request`,
			title: 'Bad',
			status: 400,
			code: 'bad-request'
		});
	});

	it('carries field errors for a declaration that fails validation', () => {
		const r = validate(withPatch({ phone: '123' }));
		if (r.ok) throw new Error('expected errors');
		const p = validationProblem(r.errors);
		expect(JSON.parse(JSON.stringify(p))).toEqual({
			type: `${PROBLEM_TYPE_BASE}validation-failed`,
			title: p.title,
			status: 422,
			code: 'validation-failed',
			errors: [{ field: 'phone', code: 'phone/format', message: DECLARATION_ERRORS['phone/format'] }] satisfies FieldError[]
		});
	});

	it.each([
		[200, 'ok'],
		[600, 'x'],
		[422.5, 'x'],
		[400, ''],
		[400, 'Upper'],
		[400, 'a b'],
		[400, '../x'],
		[400, 'x/']
	])('refuses status %s with code %j', (status, code) => {
		expect(() => problem(status, code, 'title')).toThrow(RangeError);
	});
});

it('every catalogued code except the fallback is produced by some test above', () => {
	const expected = Object.keys(DECLARATION_ERRORS).filter((c) => c !== 'declaration/invalid-value');
	expect(expected.filter((c) => !seen.has(c))).toEqual([]);
});

describe('idErrorText', () => {
	it('says which part of an ID number failed, differently for each part, in both languages', () => {
		const codes = ['id/length', 'id/characters', 'id/region', 'id/birth-date', 'id/checksum', 'id/format'] as const;
		const texts = codes.map((c) => idErrorText(c));
		expect(new Set(texts.map((t) => t.en)).size).toBe(codes.length);
		expect(new Set(texts.map((t) => t['zh-CN'])).size).toBe(codes.length);
		expect(idErrorText('id/checksum').en).toMatch(/check digit/);
		expect(idErrorText('id/region').en).toMatch(/region/);
		expect(idErrorText('id/birth-date').en).toMatch(/date of birth/);
		expect(idErrorText('id/length').en).toMatch(/18 characters/);
	});
});
