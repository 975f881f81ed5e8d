/**
 * The health declaration: one schema for the resident app (validates as the resident types, offline)
 * and the issuer (validates again on submission and answers problem+json, see ../problem.ts).
 *
 * Elements follow GB/T 38962-2020 (个人健康信息码 数据格式) as far as Tongxing uses them: name, ID document
 * type and number, mobile number, address (GB/T 2260 county-level code + detail), temperature,
 * symptoms, travel in the last 14 days. The declaration time is not input: the issuer stamps it.
 *
 * validateDeclaration never throws for any input (it throws RangeError only for a non-finite `now`),
 * reports every failing field — one error per field, the first rule it fails — and returns the
 * normalised value with the flags the colour rules use. Codes are stable; messages are zh-CN and en.
 * `now` is Unix milliseconds; calendar dates are dates in China (UTC+8).
 */
import * as v from 'valibot';
import type { FieldError, LocalisedText } from '../problem.js';
import { isCountyLevelRegion, isRegionCode } from './regions.js';
import { chinaDate, ID_TYPES, isCalendarDate, normaliseIdNumber, validateIdNumber, type IdErrorCode, type IdType } from './resident-id.js';

export type { FieldError, LocalisedText } from '../problem.js';
export { ID_TYPES, type IdType } from './resident-id.js';

export const SYMPTOMS = [
	'fever',
	'cough',
	'sore-throat',
	'fatigue',
	'loss-of-smell-taste',
	'shortness-of-breath',
	'diarrhoea',
	'none'
] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export const NAME_MAX_CHARS = 30;
export const ADDRESS_DETAIL_MAX_CHARS = 100;
export const TEMPERATURE_MIN_C = 34;
export const TEMPERATURE_MAX_C = 43;
/** A declared temperature at or above this is a fever (the threshold Chinese fever clinics use). */
export const FEVER_THRESHOLD_C = 37.3;
export const TRAVEL_WINDOW_DAYS = 14;
export const MAX_TRAVEL_ENTRIES = 20;

export interface TravelEntry {
	/** GB/T 2260 code at any level (a resident may only know the city). */
	region: string;
	/** YYYY-MM-DD, China time. */
	from: string;
	to: string;
}

/** What the resident app sends. */
export interface DeclarationInput {
	name: string;
	idType?: IdType;
	idNumber: string;
	phone: string;
	region: string;
	addressDetail: string;
	temperature: number;
	symptoms: Symptom[];
	travel: TravelEntry[];
}

/** A validated, normalised declaration and the flags the rules use. */
export interface Declaration {
	/** NFKC, spaces collapsed, middle dots unified to U+00B7 ("买买提·艾力"). */
	name: string;
	idType: IdType;
	/** ASCII, no spaces, upper case (a resident ID ends in X, never x). */
	idNumber: string;
	/** 11 digits, no +86. */
	phone: string;
	/** GB/T 2260 county-level code. */
	region: string;
	addressDetail: string;
	/** °C, one decimal. */
	temperature: number;
	symptoms: Symptom[];
	travel: TravelEntry[];
	/** temperature ≥ 37.3 °C */
	feverDeclared: boolean;
	/** any symptom other than 'none' */
	symptomsDeclared: boolean;
}

export type DeclarationResult = { ok: true; value: Declaration } | { ok: false; errors: FieldError[] };

export const SYMPTOM_LABELS: Readonly<Record<Symptom, LocalisedText>> = {
	fever: { 'zh-CN': '发热', en: 'Fever' },
	cough: { 'zh-CN': '咳嗽', en: 'Cough' },
	'sore-throat': { 'zh-CN': '咽痛', en: 'Sore throat' },
	fatigue: { 'zh-CN': '乏力', en: 'Fatigue' },
	'loss-of-smell-taste': { 'zh-CN': '嗅觉或味觉减退', en: 'Loss of smell or taste' },
	'shortness-of-breath': { 'zh-CN': '呼吸困难', en: 'Shortness of breath' },
	diarrhoea: { 'zh-CN': '腹泻', en: 'Diarrhoea' },
	none: { 'zh-CN': '以上均无', en: 'None of these' }
};

export const ID_TYPE_LABELS: Readonly<Record<IdType, LocalisedText>> = {
	resident: { 'zh-CN': '居民身份证', en: 'Resident identity card' },
	passport: { 'zh-CN': '护照', en: 'Passport' },
	'hk-macao-permit': { 'zh-CN': '港澳居民来往内地通行证', en: 'Mainland travel permit for Hong Kong and Macao residents' },
	'taiwan-permit': { 'zh-CN': '台湾居民来往大陆通行证', en: 'Mainland travel permit for Taiwan residents' },
	'foreign-permanent': { 'zh-CN': '外国人永久居留身份证', en: 'Foreign permanent resident ID card' }
};

const m = (zh: string, en: string): LocalisedText => ({ 'zh-CN': zh, en });

/** Every code validateDeclaration can return, with its message. */
export const DECLARATION_ERRORS = {
	'declaration/type': m('申报内容须为 JSON 对象', 'The declaration must be a JSON object'),
	'declaration/unknown-field': m('不支持此字段', 'This field is not accepted'),
	'declaration/invalid-value': m('此项无效', 'This value is not valid'),

	'name/required': m('请填写姓名', 'Enter your name'),
	'name/type': m('姓名须为文字', 'The name must be text'),
	'name/length': m(`姓名须为 1–${NAME_MAX_CHARS} 个字`, `The name must be 1 to ${NAME_MAX_CHARS} characters`),
	'name/characters': m(
		'姓名只能包含汉字、拉丁字母、间隔号“·”、连字符、撇号和空格',
		'The name may contain only Chinese characters, Latin letters, the middle dot (·), hyphens, apostrophes and spaces'
	),

	'idType/type': m('证件类型须为文字', 'The ID type must be text'),
	'idType/unknown': m('不支持此证件类型', 'This ID type is not supported'),

	'id/required': m('请填写证件号码', 'Enter your ID number'),
	'id/type': m('证件号码须为文字', 'The ID number must be text'),
	'id/length': m('居民身份证号码应为 18 位', 'A resident ID number has 18 characters'),
	'id/characters': m('居民身份证号码为 17 位数字加 1 位数字或 X', 'A resident ID number is 17 digits followed by a digit or X'),
	'id/region': m('身份证号码前 6 位（地址码）无效', 'The first six digits of the ID number (the region) are not valid'),
	'id/birth-date': m('身份证号码中的出生日期无效', 'The date of birth in the ID number is not valid'),
	'id/checksum': m('身份证号码校验位不符，请核对是否输错', 'The check digit does not match: please check the ID number for typing errors'),
	'id/format': m('证件号码与所选证件类型的格式不符', 'The ID number does not match the format of the chosen ID type'),

	'phone/required': m('请填写手机号码', 'Enter your mobile number'),
	'phone/type': m('手机号码须为文字', 'The mobile number must be text'),
	'phone/format': m('请填写 11 位中国大陆手机号码', 'Enter an 11-digit mainland China mobile number'),

	'region/required': m('请选择地区', 'Choose a region'),
	'region/type': m('地区代码须为文字', 'The region code must be text'),
	'region/format': m('地区代码须为 6 位数字', 'A region code has 6 digits'),
	'region/unknown': m('没有这个地区代码', 'There is no region with this code'),
	'region/not-county': m('请选择到区、县一级', 'Choose a district or county'),

	'addressDetail/required': m('请填写详细地址', 'Enter your street address'),
	'addressDetail/type': m('详细地址须为文字', 'The street address must be text'),
	'addressDetail/length': m(
		`详细地址须为 1–${ADDRESS_DETAIL_MAX_CHARS} 个字`,
		`The street address must be 1 to ${ADDRESS_DETAIL_MAX_CHARS} characters`
	),
	'addressDetail/characters': m('详细地址含有无效字符', 'The street address contains characters that are not allowed'),

	'temperature/required': m('请填写体温', 'Enter your temperature'),
	'temperature/type': m('体温须为数字', 'The temperature must be a number'),
	'temperature/range': m(
		`体温须在 ${TEMPERATURE_MIN_C.toFixed(1)}–${TEMPERATURE_MAX_C.toFixed(1)} °C 之间`,
		`The temperature must be between ${TEMPERATURE_MIN_C.toFixed(1)} and ${TEMPERATURE_MAX_C.toFixed(1)} °C`
	),
	'temperature/precision': m('体温最多保留一位小数', 'Give the temperature to one decimal place'),

	'symptoms/required': m('请选择症状；没有症状请选“以上均无”', 'Choose your symptoms, or “None of these”'),
	'symptoms/type': m('症状须为列表', 'Symptoms must be a list'),
	'symptoms/too-many': m('所选症状过多', 'Too many symptoms'),
	'symptoms/unknown': m('不支持此症状', 'This symptom is not on the list'),
	'symptoms/duplicate': m('症状有重复', 'A symptom is listed twice'),
	'symptoms/none-exclusive': m('“以上均无”不能与其他症状同时选择', '“None of these” cannot be chosen together with a symptom'),

	'travel/required': m('请申报近 14 天行程；没有外出请留空列表', 'Declare travel in the last 14 days (an empty list if none)'),
	'travel/type': m('行程须为列表', 'Travel must be a list'),
	'travel/too-many': m(`行程最多 ${MAX_TRAVEL_ENTRIES} 条`, `At most ${MAX_TRAVEL_ENTRIES} journeys`),
	'travel/item-type': m('每条行程须为对象', 'Each journey must be an object'),
	'travel/too-early': m(
		`只需申报近 ${TRAVEL_WINDOW_DAYS} 天内的行程；更早开始的行程，开始日期请填 ${TRAVEL_WINDOW_DAYS} 天前那一天`,
		`Only the last ${TRAVEL_WINDOW_DAYS} days are declared: for a journey that began earlier, start it ${TRAVEL_WINDOW_DAYS} days ago`
	),
	'travel/future': m('日期不能晚于今天', 'The date cannot be after today'),
	'travel/order': m('结束日期不能早于开始日期', 'The end date cannot be before the start date'),

	'date/required': m('请填写日期', 'Enter a date'),
	'date/type': m('日期须为文字', 'The date must be text'),
	'date/format': m('日期无效（格式为 YYYY-MM-DD）', 'Not a valid date (YYYY-MM-DD)')
} as const satisfies Record<string, LocalisedText>;

export type DeclarationErrorCode = keyof typeof DECLARATION_ERRORS;

/** What failed in an ID number (validateIdNumber's code: length, characters, region, birth date, check digit, format), in both languages. */
export function idErrorText(code: IdErrorCode): LocalisedText {
	return DECLARATION_ERRORS[code];
}

const isCode = (s: string): s is DeclarationErrorCode => Object.prototype.hasOwnProperty.call(DECLARATION_ERRORS, s);

/* ---------------------------------------------------------------- normalisation */

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

/* ---------------------------------------------------------------- schema */

function isPlainObject(x: unknown): x is Record<string, unknown> {
	if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
	const proto: unknown = Object.getPrototypeOf(x);
	return proto === Object.prototype || proto === null;
}

/** Type message: an explicit `undefined` counts as missing. */
const typeMessage =
	(concept: string) =>
	(issue: { input: unknown }): string =>
		issue.input === undefined ? `${concept}/required` : `${concept}/type`;

/** Message of an object schema: its only own issues are missing keys (the object type is checked before). */
const missingKeyMessage =
	(concepts: Readonly<Record<string, string>>) =>
	(issue: { path?: readonly { key: unknown }[] | undefined }): string => {
		const key = issue.path?.[0]?.key;
		const concept = typeof key === 'string' ? concepts[key] : undefined;
		return concept === undefined ? 'declaration/invalid-value' : `${concept}/required`;
	};

const unknownField = v.never('declaration/unknown-field');

/** Whether any issue so far is on the entry `key` of the object being validated. */
const hasIssueAt = (issues: readonly v.BaseIssue<unknown>[] | undefined, key: string): boolean =>
	issues?.some((i) => i.path?.[0]?.key === key) ?? false;

const regionSchema = (countyLevel: boolean) =>
	v.pipe(
		v.string(typeMessage('region')),
		v.transform((s) => s.normalize('NFKC').trim()),
		v.regex(/^\d{6}$/, 'region/format'),
		v.check(isRegionCode, 'region/unknown'),
		v.check((c) => !countyLevel || isCountyLevelRegion(c), 'region/not-county')
	);

/** The schema for a declaration validated at `now`. Issue messages are DeclarationErrorCodes. */
export function declarationSchema(now: number) {
	const today = chinaDate(now);
	const windowStart = chinaDate(now, -TRAVEL_WINDOW_DAYS);

	const date = v.pipe(
		v.string(typeMessage('date')),
		v.check(isCalendarDate, 'date/format'),
		v.check((d) => d >= windowStart, 'travel/too-early'),
		v.check((d) => d <= today, 'travel/future')
	);

	const travelEntry = v.pipe(
		v.custom<Record<string, unknown>>(isPlainObject, 'travel/item-type'),
		v.objectWithRest(
			{ region: regionSchema(false), from: date, to: date },
			unknownField,
			missingKeyMessage({ region: 'region', from: 'date', to: 'date' })
		),
		v.rawCheck(({ dataset, addIssue }) => {
			if (hasIssueAt(dataset.issues, 'from') || hasIssueAt(dataset.issues, 'to')) return;
			const entry = dataset.value as Record<string, unknown>;
			const { from, to } = entry;
			if (typeof from === 'string' && typeof to === 'string' && from > to) {
				addIssue({ message: 'travel/order', path: [{ type: 'object', origin: 'value', input: entry, key: 'to', value: to }] });
			}
		}),
		v.transform((e): TravelEntry => ({ region: e.region, from: e.from, to: e.to }))
	);

	return v.pipe(
		v.custom<Record<string, unknown>>(isPlainObject, 'declaration/type'),
		v.objectWithRest(
			{
				name: v.pipe(
					v.string(typeMessage('name')),
					v.transform(normaliseName),
					v.check((s) => chars(s) >= 1 && chars(s) <= NAME_MAX_CHARS, 'name/length'),
					v.regex(NAME, 'name/characters')
				),
				idType: v.optional(
					v.picklist(ID_TYPES, (issue) => (typeof issue.input === 'string' ? 'idType/unknown' : 'idType/type')),
					'resident'
				),
				idNumber: v.pipe(v.string(typeMessage('id')), v.transform(normaliseIdNumber)),
				phone: v.pipe(v.string(typeMessage('phone')), v.transform(normalisePhone), v.regex(/^1[3-9]\d{9}$/, 'phone/format')),
				region: regionSchema(true),
				addressDetail: v.pipe(
					v.string(typeMessage('addressDetail')),
					v.transform(normaliseText),
					v.check((s) => chars(s) >= 1 && chars(s) <= ADDRESS_DETAIL_MAX_CHARS, 'addressDetail/length'),
					v.check((s) => !/[\p{Cc}\p{Cs}\p{Co}]/u.test(s), 'addressDetail/characters')
				),
				temperature: v.pipe(
					v.number(typeMessage('temperature')),
					v.check((t) => t >= TEMPERATURE_MIN_C && t <= TEMPERATURE_MAX_C, 'temperature/range'),
					v.check((t) => Math.abs(t * 10 - Math.round(t * 10)) < 1e-6, 'temperature/precision'),
					v.transform((t) => Math.round(t * 10) / 10)
				),
				symptoms: v.pipe(
					v.custom<unknown[]>(Array.isArray, typeMessage('symptoms')),
					v.check((a) => a.length <= SYMPTOMS.length, 'symptoms/too-many'),
					v.array(v.picklist(SYMPTOMS, (issue) => (typeof issue.input === 'string' ? 'symptoms/unknown' : 'symptoms/type'))),
					v.check((a) => a.length > 0, 'symptoms/required'),
					v.check((a) => new Set(a).size === a.length, 'symptoms/duplicate'),
					v.check((a) => !a.includes('none') || a.length === 1, 'symptoms/none-exclusive')
				),
				travel: v.pipe(
					v.custom<unknown[]>(Array.isArray, typeMessage('travel')),
					// before the entries are looked at, so that a huge list costs nothing
					v.check((a) => a.length <= MAX_TRAVEL_ENTRIES, 'travel/too-many'),
					v.array(travelEntry)
				)
			},
			unknownField,
			missingKeyMessage({
				name: 'name',
				idNumber: 'id',
				phone: 'phone',
				region: 'region',
				addressDetail: 'addressDetail',
				temperature: 'temperature',
				symptoms: 'symptoms',
				travel: 'travel'
			})
		),
		// The ID number's rules depend on idType, so they run here, once both fields are valid on their own.
		v.rawCheck(({ dataset, addIssue }) => {
			if (hasIssueAt(dataset.issues, 'idType') || hasIssueAt(dataset.issues, 'idNumber')) return;
			const value = dataset.value as Record<string, unknown>;
			const { idType, idNumber } = value;
			if (typeof idType !== 'string' || typeof idNumber !== 'string') return;
			const result = validateIdNumber(idType as IdType, idNumber, now);
			if (!result.ok) {
				addIssue({ message: result.code, path: [{ type: 'object', origin: 'value', input: value, key: 'idNumber', value: idNumber }] });
			}
		}),
		v.transform((d): Declaration => ({
			name: d.name,
			idType: d.idType,
			idNumber: d.idNumber,
			phone: d.phone,
			region: d.region,
			addressDetail: d.addressDetail,
			temperature: d.temperature,
			symptoms: d.symptoms,
			travel: d.travel,
			feverDeclared: Math.round(d.temperature * 10) >= Math.round(FEVER_THRESHOLD_C * 10),
			symptomsDeclared: d.symptoms.some((s) => s !== 'none')
		}))
	);
}

/* ---------------------------------------------------------------- results */

/** Order of error lists: the form's order (and region, from, to inside a journey), unknown fields last. */
const KEY_ORDER = ['name', 'idType', 'idNumber', 'phone', 'region', 'addressDetail', 'temperature', 'symptoms', 'travel', 'from', 'to'];
const segmentRank = (segment: string): number => {
	if (/^\d+$/.test(segment)) return Number(segment);
	const i = KEY_ORDER.indexOf(segment);
	return i === -1 ? Number.MAX_SAFE_INTEGER : i;
};
function compareFields(a: string, b: string): number {
	const as = a === '' ? [] : a.split('.');
	const bs = b === '' ? [] : b.split('.');
	for (let i = 0; i < Math.min(as.length, bs.length); i++) {
		const d = segmentRank(as[i]!) - segmentRank(bs[i]!);
		if (d !== 0) return d;
	}
	return as.length - bs.length;
}

export function fieldError(field: string, code: DeclarationErrorCode): FieldError {
	return { field, code, message: DECLARATION_ERRORS[code] };
}

/** JSON.parse makes own keys valibot will not look at (they could only do harm); they are unknown fields too. */
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];
function reservedKeyErrors(input: Record<string, unknown>): FieldError[] {
	const errors: FieldError[] = [];
	const scan = (o: Record<string, unknown>, prefix: string) => {
		for (const key of RESERVED_KEYS) {
			if (Object.prototype.hasOwnProperty.call(o, key)) errors.push(fieldError(prefix + key, 'declaration/unknown-field'));
		}
	};
	scan(input, '');
	const travel = Object.prototype.hasOwnProperty.call(input, 'travel') ? input.travel : undefined;
	if (Array.isArray(travel) && travel.length <= MAX_TRAVEL_ENTRIES) {
		travel.forEach((entry, i) => {
			if (isPlainObject(entry)) scan(entry, `travel.${i}.`);
		});
	}
	return errors;
}

/**
 * Validates a declaration as submitted (parsed JSON) at time `now` (Unix ms). Collects the errors of
 * every field, at most one per field, in form order.
 */
export function validateDeclaration(input: unknown, now: number): DeclarationResult {
	if (!Number.isFinite(now)) throw new RangeError('validateDeclaration: now must be a finite time in milliseconds');
	const result = v.safeParse(declarationSchema(now), input);
	const extra = isPlainObject(input) ? reservedKeyErrors(input) : [];
	if (result.success && extra.length === 0) return { ok: true, value: result.output };

	const seen = new Set<string>();
	const errors: FieldError[] = [];
	for (const issue of result.issues ?? []) {
		const field = (issue.path ?? []).map((p) => String(p.key)).join('.');
		if (seen.has(field)) continue;
		seen.add(field);
		errors.push(fieldError(field, isCode(issue.message) ? issue.message : 'declaration/invalid-value'));
	}
	for (const e of extra) if (!seen.has(e.field)) errors.push(e);
	errors.sort((a, b) => compareFields(a.field, b.field)); // stable: unknown fields keep the input's order
	return { ok: false, errors };
}
