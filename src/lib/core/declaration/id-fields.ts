/**
 * The ID document of a declaration: its type (resident ID card unless said) and number, checked by the rules of
 * that type (resident-id.ts). Issue messages are DeclarationErrorCodes.
 */
import * as v from 'valibot';
import type { LocalisedText } from '../problem.js';
import { hasIssueAt, typeMessage } from './field-issues.js';
import { ID_TYPES, normaliseIdNumber, validateIdNumber, type IdType } from './resident-id.js';

export const ID_TYPE_LABELS: Readonly<Record<IdType, LocalisedText>> = {
	resident: { 'zh-CN': '居民身份证', en: 'Resident identity card' },
	passport: { 'zh-CN': '护照', en: 'Passport' },
	'hk-macao-permit': { 'zh-CN': '港澳居民来往内地通行证', en: 'Mainland travel permit for Hong Kong and Macao residents' },
	'taiwan-permit': { 'zh-CN': '台湾居民来往大陆通行证', en: 'Mainland travel permit for Taiwan residents' },
	'foreign-permanent': { 'zh-CN': '外国人永久居留身份证', en: 'Foreign permanent resident ID card' }
};

export const idTypeSchema = v.optional(
	v.picklist(ID_TYPES, (issue) => (typeof issue.input === 'string' ? 'idType/unknown' : 'idType/type')),
	'resident'
);

export const idNumberSchema = v.pipe(v.string(typeMessage('id')), v.transform(normaliseIdNumber));

/**
 * The ID number's rules for the declaration being validated at `now`: they depend on idType, so they run on the
 * whole declaration, once both fields are valid on their own. The issue is on `idNumber`.
 */
export function idNumberCheck<TDeclaration>(now: number) {
	return v.rawCheck<TDeclaration>(({ dataset, addIssue }) => {
		if (hasIssueAt(dataset.issues, 'idType') || hasIssueAt(dataset.issues, 'idNumber')) return;
		const value = dataset.value as Record<string, unknown>;
		const { idType, idNumber } = value;
		if (typeof idType !== 'string' || typeof idNumber !== 'string') return;
		const result = validateIdNumber(idType as IdType, idNumber, now);
		if (!result.ok) {
			addIssue({ message: result.code, path: [{ type: 'object', origin: 'value', input: value, key: 'idNumber', value: idNumber }] });
		}
	});
}
