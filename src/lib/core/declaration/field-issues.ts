/**
 * How the declaration's valibot schemas name their issues: every issue message is a DeclarationErrorCode
 * (declaration-errors.ts), so a missing field, a field of the wrong type and an unknown field each get their own.
 */
import * as v from 'valibot';

export function isPlainObject(x: unknown): x is Record<string, unknown> {
	if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
	const proto: unknown = Object.getPrototypeOf(x);
	return proto === Object.prototype || proto === null;
}

/** Type message: an explicit `undefined` counts as missing. */
export const typeMessage =
	(concept: string) =>
	(issue: { input: unknown }): string =>
		issue.input === undefined ? `${concept}/required` : `${concept}/type`;

/** Message of an object schema: its only own issues are missing keys (the object type is checked before). */
export const missingKeyMessage =
	(concepts: Readonly<Record<string, string>>) =>
	(issue: { path?: readonly { key: unknown }[] | undefined }): string => {
		const key = issue.path?.[0]?.key;
		const concept = typeof key === 'string' ? concepts[key] : undefined;
		return concept === undefined ? 'declaration/invalid-value' : `${concept}/required`;
	};

export const unknownField = v.never('declaration/unknown-field');

/** Whether any issue so far is on the entry `key` of the object being validated. */
export const hasIssueAt = (issues: readonly v.BaseIssue<unknown>[] | undefined, key: string): boolean =>
	issues?.some((i) => i.path?.[0]?.key === key) ?? false;
