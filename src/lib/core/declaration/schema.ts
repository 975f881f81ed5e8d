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
 *
 * The fields' schemas are in name-phone-address.ts, id-fields.ts, temperature-symptoms.ts and travel.ts, the
 * codes and their messages in declaration-errors.ts; this file assembles them and orders the errors.
 */
import * as v from 'valibot';
import type { FieldError } from '../problem.js';
import { DECLARATION_ERRORS, isDeclarationErrorCode, type DeclarationErrorCode } from './declaration-errors.js';
import { isPlainObject, missingKeyMessage, unknownField } from './field-issues.js';
import { idNumberCheck, idNumberSchema, idTypeSchema } from './id-fields.js';
import { addressDetailSchema, nameSchema, phoneSchema, regionSchema } from './name-phone-address.js';
import type { IdType } from './resident-id.js';
import { FEVER_THRESHOLD_C, symptomsSchema, temperatureSchema, type Symptom } from './temperature-symptoms.js';
import { MAX_TRAVEL_ENTRIES, travelSchema, type TravelEntry } from './travel.js';

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

/* ---------------------------------------------------------------- schema */

/** The schema for a declaration validated at `now`. Issue messages are DeclarationErrorCodes. */
export function declarationSchema(now: number) {
	return v.pipe(
		v.custom<Record<string, unknown>>(isPlainObject, 'declaration/type'),
		v.objectWithRest(
			{
				name: nameSchema,
				idType: idTypeSchema,
				idNumber: idNumberSchema,
				phone: phoneSchema,
				region: regionSchema(true),
				addressDetail: addressDetailSchema,
				temperature: temperatureSchema,
				symptoms: symptomsSchema,
				travel: travelSchema(now)
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
		idNumberCheck(now),
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
		errors.push(fieldError(field, isDeclarationErrorCode(issue.message) ? issue.message : 'declaration/invalid-value'));
	}
	for (const e of extra) if (!seen.has(e.field)) errors.push(e);
	errors.sort((a, b) => compareFields(a.field, b.field)); // stable: unknown fields keep the input's order
	return { ok: false, errors };
}
