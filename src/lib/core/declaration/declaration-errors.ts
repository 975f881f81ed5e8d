/**
 * Every code validateDeclaration can return, with its message in zh-CN and en. Codes are stable: the resident app,
 * the issuer's problem+json answers and the import checks (idErrorText) all show these.
 */
import type { LocalisedText } from '../problem.js';
import { ADDRESS_DETAIL_MAX_CHARS, NAME_MAX_CHARS } from './name-phone-address.js';
import type { IdErrorCode } from './resident-id.js';
import { TEMPERATURE_MAX_C, TEMPERATURE_MIN_C } from './temperature-symptoms.js';
import { MAX_TRAVEL_ENTRIES, TRAVEL_WINDOW_DAYS } from './travel.js';

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

export const isDeclarationErrorCode = (s: string): s is DeclarationErrorCode => Object.prototype.hasOwnProperty.call(DECLARATION_ERRORS, s);
