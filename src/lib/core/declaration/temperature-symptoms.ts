/**
 * How the resident feels: the temperature (°C, one decimal) and the symptoms, with their labels and the fever
 * threshold the colour rules use. Issue messages are DeclarationErrorCodes.
 */
import * as v from 'valibot';
import type { LocalisedText } from '../problem.js';
import { typeMessage } from './field-issues.js';

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

export const TEMPERATURE_MIN_C = 34;
export const TEMPERATURE_MAX_C = 43;
/** A declared temperature at or above this is a fever (the threshold Chinese fever clinics use). */
export const FEVER_THRESHOLD_C = 37.3;

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

export const temperatureSchema = v.pipe(
	v.number(typeMessage('temperature')),
	v.check((t) => t >= TEMPERATURE_MIN_C && t <= TEMPERATURE_MAX_C, 'temperature/range'),
	v.check((t) => Math.abs(t * 10 - Math.round(t * 10)) < 1e-6, 'temperature/precision'),
	v.transform((t) => Math.round(t * 10) / 10)
);

export const symptomsSchema = v.pipe(
	v.custom<unknown[]>(Array.isArray, typeMessage('symptoms')),
	v.check((a) => a.length <= SYMPTOMS.length, 'symptoms/too-many'),
	v.array(v.picklist(SYMPTOMS, (issue) => (typeof issue.input === 'string' ? 'symptoms/unknown' : 'symptoms/type'))),
	v.check((a) => a.length > 0, 'symptoms/required'),
	v.check((a) => new Set(a).size === a.length, 'symptoms/duplicate'),
	v.check((a) => !a.includes('none') || a.length === 1, 'symptoms/none-exclusive')
);
