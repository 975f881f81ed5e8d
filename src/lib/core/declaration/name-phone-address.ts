/**
 * Who and where: the name, the mobile number and the address (GB/T 2260 region + detail) of a declaration, with
 * the normalisation of what people type. Issue messages are DeclarationErrorCodes.
 */
import * as v from 'valibot';
import { typeMessage } from './field-issues.js';
import { isCountyLevelRegion, isRegionCode } from './regions.js';

export const NAME_MAX_CHARS = 30;
export const ADDRESS_DETAIL_MAX_CHARS = 100;

/** Middle-dot look-alikes that IMEs produce for the separator in names like 买买提·艾力. */
const DOTS = /[\u00B7\u2022\u2027\u2219\u22C5\u30FB\uFF65]/g;
const LETTER = String.raw`\p{Script=Han}\p{Script=Latin}`;
const NAME = new RegExp(String.raw`^[${LETTER}](?:[${LETTER}·' -]*[${LETTER}])?$`, 'u');

export function normaliseName(raw: string): string {
	return raw
		.normalize('NFKC')
		.replace(DOTS, '·')
		.replace(/[\u2018\u2019\u02BC]/g, "'")
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/ ?· ?/g, '·');
}

/** '+86 138-0013-8000' → '13800138000'; anything else is returned without separators for the format check. */
export function normalisePhone(raw: string): string {
	const s = raw.normalize('NFKC').replace(/[\s\-()]/g, '');
	if (s.startsWith('+86')) return s.slice(3);
	if (s.startsWith('0086')) return s.slice(4);
	return s;
}

const normaliseText = (raw: string): string => raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
const chars = (s: string): number => [...s].length;

export const nameSchema = v.pipe(
	v.string(typeMessage('name')),
	v.transform(normaliseName),
	v.check((s) => chars(s) >= 1 && chars(s) <= NAME_MAX_CHARS, 'name/length'),
	v.regex(NAME, 'name/characters')
);

export const phoneSchema = v.pipe(v.string(typeMessage('phone')), v.transform(normalisePhone), v.regex(/^1[3-9]\d{9}$/, 'phone/format'));

export const addressDetailSchema = v.pipe(
	v.string(typeMessage('addressDetail')),
	v.transform(normaliseText),
	v.check((s) => chars(s) >= 1 && chars(s) <= ADDRESS_DETAIL_MAX_CHARS, 'addressDetail/length'),
	v.check((s) => !/[\p{Cc}\p{Cs}\p{Co}]/u.test(s), 'addressDetail/characters')
);

/** A GB/T 2260 code: county level for the address, any level for a journey (a resident may only know the city). */
export const regionSchema = (countyLevel: boolean) =>
	v.pipe(
		v.string(typeMessage('region')),
		v.transform((s) => s.normalize('NFKC').trim()),
		v.regex(/^\d{6}$/, 'region/format'),
		v.check(isRegionCode, 'region/unknown'),
		v.check((c) => !countyLevel || isCountyLevelRegion(c), 'region/not-county')
	);
