import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	chinaDate,
	isCalendarDate,
	residentIdCheckChar,
	validateIdNumber,
	validateResidentId,
	type IdErrorCode,
	type IdType
} from './resident-id.js';

/** 2026-06-15 12:00 in China. */
const NOW = Date.parse('2026-06-15T04:00:00Z');

/**
 * ISO 7064 MOD 11-2 written the way the standard states it, independently of the implementation:
 * weight of position i (1-based, check char is position 18) is 2^(18−i) mod 11, and the check value
 * is (12 − (Σ aᵢ·wᵢ mod 11)) mod 11, with 10 written X.
 */
function mod11_2(first17: string): string {
	let sum = 0;
	for (let i = 1; i <= 17; i++) sum += Number(first17[i - 1]) * (2 ** (18 - i) % 11);
	const c = (12 - (sum % 11)) % 11;
	return c === 10 ? 'X' : String(c);
}

/** A structurally real ID: region + birth date + sequence + the check char computed above. */
const makeId = (region: string, birth: string, seq: string): string => {
	const body = region + birth + seq;
	return body + mod11_2(body);
};

describe('residentIdCheckChar', () => {
	it('matches the standard formula on published and generated numbers', () => {
		// GB 11643-1999's own examples.
		expect(residentIdCheckChar('11010519491231002')).toBe('X');
		expect(residentIdCheckChar('44052418800101001')).toBe('4');
		fc.assert(
			fc.property(fc.stringMatching(/^\d{17}$/), (body) => residentIdCheckChar(body) === mod11_2(body)),
			{ numRuns: 2000 }
		);
	});

	it('is empty for anything but 17 digits', () => {
		for (const s of ['', '1101051949123100', '110105194912310021', '1101051949123100X']) expect(residentIdCheckChar(s)).toBe('');
	});
});

describe('validateResidentId', () => {
	const valid: [string, string, string][] = [
		['published sample (check char X)', '11010519491231002X', '11010519491231002X'],
		['lowercase x is accepted and normalised', '11010519491231002x', '11010519491231002X'],
		['full-width digits and spaces from an IME', '１１０１０５ １９４９１２３１ ００２ｘ', '11010519491231002X'],
		['Shenzhen, 1990', makeId('440305', '19900101', '123'), makeId('440305', '19900101', '123')],
		['Urumqi, leap day 2000', makeId('650102', '20000229', '046'), makeId('650102', '20000229', '046')],
		['born on 1900-01-01', makeId('310104', '19000101', '001'), makeId('310104', '19000101', '001')],
		['born today (China time)', makeId('440305', '20260615', '002'), makeId('440305', '20260615', '002')],
		['abolished county code (崇文区 110103) still valid', makeId('110103', '19800505', '551'), makeId('110103', '19800505', '551')],
		['Hong Kong residence permit (810000)', makeId('810000', '19850712', '003'), makeId('810000', '19850712', '003')],
		['Taiwan residence permit (830000)', makeId('830000', '19770101', '015'), makeId('830000', '19770101', '015')]
	];
	it.each(valid)('accepts: %s', (_label, input, normalised) => {
		expect(validateResidentId(input, NOW)).toEqual({ ok: true, value: normalised });
	});

	const good = makeId('440305', '19900101', '123');
	const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
	const invalid: [string, string, IdErrorCode][] = [
		['empty', '', 'id/length'],
		['17 characters', good.slice(0, 17), 'id/length'],
		['19 characters', good + '1', 'id/length'],
		['first-generation 15-digit number', '110105491231002', 'id/length'],
		['letter inside', '1101051949123100AX', 'id/characters'],
		['Y as check char', '11010519491231002Y', 'id/characters'],
		['X not at the end', '1101051949123X0021', 'id/characters'],
		['province 00', makeId('000000', '19900101', '123'), 'id/region'],
		['province 99', makeId('990101', '19900101', '123'), 'id/region'],
		['province 10', makeId('100101', '19900101', '123'), 'id/region'],
		['month 13', makeId('440305', '19901301', '123'), 'id/birth-date'],
		['day 00', makeId('440305', '19900100', '123'), 'id/birth-date'],
		['31 April', makeId('440305', '19900431', '123'), 'id/birth-date'],
		['29 February 1900 (not a leap year)', makeId('440305', '19000229', '123'), 'id/birth-date'],
		['29 February 2023', makeId('440305', '20230229', '123'), 'id/birth-date'],
		["before 1900 (the standard's own 440524188001010014)", '440524188001010014', 'id/birth-date'],
		['tomorrow (China time)', makeId('440305', '20260616', '123'), 'id/birth-date'],
		['wrong check digit', wrongCheck, 'id/checksum'],
		['published sample with 0 instead of X', '110105194912310020', 'id/checksum'],
		['two digits swapped', '11010519491231020X', 'id/checksum']
	];
	it.each(invalid)('rejects %s → %s', (_label, input, code) => {
		expect(validateResidentId(input, NOW)).toEqual({ ok: false, code });
	});

	it('uses the China calendar date for "not in the future"', () => {
		const born = makeId('440305', '20260615', '002');
		// 2026-06-14T16:00Z is midnight in China: the 15th has begun there.
		expect(validateResidentId(born, Date.parse('2026-06-14T16:00:00Z')).ok).toBe(true);
		expect(validateResidentId(born, Date.parse('2026-06-14T15:59:59Z'))).toEqual({ ok: false, code: 'id/birth-date' });
	});

	it('never throws, and accepts exactly the 18-character numbers whose check char matches', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 40 }), fc.integer({ min: -8.64e15, max: 8.64e15 }), (s, now) => {
				const r = validateResidentId(s, now);
				if (r.ok) expect(r.value.slice(17)).toBe(mod11_2(r.value.slice(0, 17)));
			}),
			{ numRuns: 1000 }
		);
		for (const now of [NaN, Infinity, -Infinity])
			expect(validateResidentId('11010519491231002X', now)).toEqual({ ok: false, code: 'id/birth-date' });
	});

	it('rejects every single-digit typo in a valid number', () => {
		const id = '11010519491231002X';
		for (let i = 0; i < 17; i++) {
			for (let d = 0; d <= 9; d++) {
				if (String(d) === id[i]) continue;
				const typo = id.slice(0, i) + String(d) + id.slice(i + 1);
				expect(validateResidentId(typo, NOW).ok, typo).toBe(false);
			}
		}
	});
});

describe('validateIdNumber for other documents', () => {
	/** Third column: the normalised number, or the error code. */
	const cases: [IdType, string, string][] = [
		['resident', '11010519491231002x', '11010519491231002X'],
		['resident', '110105194912310021', 'id/checksum'],
		['passport', 'E12345678', 'E12345678'],
		['passport', 'e1234567', 'E1234567'],
		['passport', 'AB123', 'AB123'],
		['passport', '12345678901234567', '12345678901234567'],
		['passport', 'A123', 'id/format'],
		['passport', '123456789012345678', 'id/format'],
		['passport', 'E1234-567', 'id/format'],
		['hk-macao-permit', 'H12345678', 'H12345678'],
		['hk-macao-permit', 'm1234567890', 'M1234567890'],
		['hk-macao-permit', 'H1234567', 'id/format'],
		['hk-macao-permit', 'H12345678901', 'id/format'],
		['hk-macao-permit', 'C12345678', 'id/format'],
		['taiwan-permit', '12345678', '12345678'],
		['taiwan-permit', '1234567', 'id/format'],
		['taiwan-permit', 'T1234567', 'id/format'],
		['foreign-permanent', 'USA110084110001', 'USA110084110001'],
		['foreign-permanent', '931156197905010011', '931156197905010011'],
		['foreign-permanent', 'USA11008411000', 'id/format'],
		['foreign-permanent', 'USA1100841100011', 'id/format']
	];
	it.each(cases)('%s %s → %s', (type, input, expected) => {
		const r = validateIdNumber(type, input, NOW);
		expect(r).toEqual(expected.startsWith('id/') ? { ok: false, code: expected } : { ok: true, value: expected });
	});
});

describe('dates', () => {
	it('chinaDate is the calendar date at UTC+8, with an offset in days', () => {
		expect(chinaDate(Date.parse('2026-06-14T15:59:59.999Z'))).toBe('2026-06-14');
		expect(chinaDate(Date.parse('2026-06-14T16:00:00Z'))).toBe('2026-06-15');
		expect(chinaDate(Date.parse('2026-03-10T04:00:00Z'), -14)).toBe('2026-02-24');
		expect(chinaDate(Date.parse('2024-03-10T04:00:00Z'), -14)).toBe('2024-02-25');
		expect(chinaDate(NaN)).toBe('');
	});

	it.each([
		['2024-02-29', true],
		['2023-02-29', false],
		['2000-02-29', true],
		['1900-02-29', false],
		['2026-12-31', true],
		['2026-13-01', false],
		['2026-00-10', false],
		['2026-06-00', false],
		['2026-6-1', false],
		['20260601', false],
		[' 2026-06-01', false]
	])('isCalendarDate(%s) = %s', (d, ok) => {
		expect(isCalendarDate(d)).toBe(ok);
	});
});
