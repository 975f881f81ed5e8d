/**
 * Identity document numbers for a declaration.
 *
 * `resident`: the 18-character citizen identity number of GB 11643-1999 — 6-digit address code
 * (GB/T 2260), 8-digit birth date YYYYMMDD, 3-digit sequence (odd for men, even for women) and a check
 * character computed with ISO 7064 MOD 11-2. Residence permits for Hong Kong, Macao and Taiwan
 * residents (810000 / 820000 / 830000) use the same structure and are accepted here.
 *
 * The address code is checked against the province level only: it records where the number was first
 * issued and stays valid after the county is renamed or merged (IDs issued in 东城区 before 2010 still
 * carry 110103 崇文区), so "does this county exist today" is the wrong question for an ID number.
 *
 * Other documents get looser, structural rules. Nothing here throws; every failure is a stable code.
 * Time is a parameter (`now`, Unix milliseconds): the birth date must not be after today in China
 * (UTC+8, no daylight saving).
 */

export const ID_TYPES = ['resident', 'passport', 'hk-macao-permit', 'taiwan-permit', 'foreign-permanent'] as const;
export type IdType = (typeof ID_TYPES)[number];

export type IdErrorCode = 'id/length' | 'id/characters' | 'id/region' | 'id/birth-date' | 'id/checksum' | 'id/format';

export type IdResult = { ok: true; value: string } | { ok: false; code: IdErrorCode };

/** ISO 7064 MOD 11-2 weights for positions 1–17 (2^(18-i) mod 11). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for sum mod 11 = 0, 1, …, 10. */
const CHECK_CHARS = '10X98765432';

/**
 * First two digits of the address code: the 31 provinces of the mainland (GB/T 2260) and 81 / 82 / 83
 * as used by residence permits for Hong Kong, Macao and Taiwan residents (71 is GB/T 2260's code for
 * Taiwan; it is allowed too).
 */
const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
	'11',
	'12',
	'13',
	'14',
	'15',
	'21',
	'22',
	'23',
	'31',
	'32',
	'33',
	'34',
	'35',
	'36',
	'37',
	'41',
	'42',
	'43',
	'44',
	'45',
	'46',
	'50',
	'51',
	'52',
	'53',
	'54',
	'61',
	'62',
	'63',
	'64',
	'65',
	'71',
	'81',
	'82',
	'83'
]);

/** The check character for the first 17 digits of a resident identity number ('' if they are not 17 digits). */
export function residentIdCheckChar(first17: string): string {
	if (!/^\d{17}$/.test(first17)) return '';
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
	return CHECK_CHARS[sum % 11]!;
}

/** Full-width digits and letters to ASCII, spaces removed, upper case (so a lowercase x becomes X). */
export function normaliseIdNumber(raw: string): string {
	return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The calendar date in China (UTC+8) at `now` (Unix ms), as YYYY-MM-DD; '' if `now` is not a finite time. */
export function chinaDate(now: number, offsetDays = 0): string {
	if (!Number.isFinite(now)) return '';
	const d = new Date(now + CHINA_OFFSET_MS + offsetDays * DAY_MS);
	if (Number.isNaN(d.getTime())) return '';
	const y = d.getUTCFullYear();
	if (y < 1 || y > 9999) return '';
	return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** Whether `date` is an ISO calendar date YYYY-MM-DD that exists (2023-02-29 does not). */
export function isCalendarDate(date: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (!m) return false;
	const y = Number(m[1]);
	const mo = Number(m[2]);
	const d = Number(m[3]);
	if (mo < 1 || mo > 12 || d < 1) return false;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
	return d <= days;
}

/**
 * Validates a GB 11643-1999 resident identity number. Returns the normalised number (ASCII, upper-case
 * X) or the first failing rule, in this order: length, characters, region, birth date, checksum.
 */
export function validateResidentId(raw: string, now: number): IdResult {
	const id = normaliseIdNumber(raw);
	if ([...id].length !== 18) return { ok: false, code: 'id/length' };
	if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, code: 'id/characters' };
	if (!PROVINCE_PREFIXES.has(id.slice(0, 2))) return { ok: false, code: 'id/region' };
	const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
	const today = chinaDate(now);
	if (!isCalendarDate(birth) || birth < '1900-01-01' || today === '' || birth > today) {
		return { ok: false, code: 'id/birth-date' };
	}
	if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return { ok: false, code: 'id/checksum' };
	return { ok: true, value: id };
}

/** Structural rules for the other documents (no check digits are published for them). */
const OTHER_ID_PATTERNS: Readonly<Record<Exclude<IdType, 'resident'>, RegExp>> = {
	// ICAO 9303 allows up to 9 characters in the MRZ, but national numbers printed on the page run longer.
	passport: /^[0-9A-Z]{5,17}$/,
	// 港澳居民来往内地通行证 (home-return permit): H (Hong Kong) or M (Macao) and 8 digits, 10 on older cards.
	'hk-macao-permit': /^[HM]\d{8,10}$/,
	// 台湾居民来往大陆通行证 (MTP): 8 digits.
	'taiwan-permit': /^\d{8}$/,
	// 外国人永久居留身份证: 15 characters (2004 card) or 18 (2017 and 2023 cards).
	'foreign-permanent': /^(?:[0-9A-Z]{15}|[0-9A-Z]{18})$/
};

/** Validates an ID number for its document type; never throws. */
export function validateIdNumber(idType: IdType, raw: string, now: number): IdResult {
	if (idType === 'resident') return validateResidentId(raw, now);
	const id = normaliseIdNumber(raw);
	return OTHER_ID_PATTERNS[idType].test(id) ? { ok: true, value: id } : { ok: false, code: 'id/format' };
}
