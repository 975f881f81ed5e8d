/**
 * The problem's `title`: the English message of its code from the `errors` catalogue, with its params filled
 * in, in one language for API clients and logs (apps word the code themselves, in the reader's language).
 * A tiny {{name}} / `_one`–`_other` formatter instead of i18next: the server and the CLI need only English.
 */
import type { ErrorCode, ErrorParams } from '../core/contract/errors.js';
import { errors } from '../i18n/locales/errors.js';

const EN: Readonly<Record<string, string>> = errors.en;
const plural = new Intl.PluralRules('en');

export function errorTitle(code: ErrorCode, params: ErrorParams = {}): string {
	const count = params.count;
	const template =
		(typeof count === 'number' ? EN[`${code}_${plural.select(count)}`] : undefined) ?? EN[code] ?? EN[`${code}_other`] ?? code;
	return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
