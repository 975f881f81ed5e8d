/**
 * Reading a request body with the endpoint's contract schema (src/lib/core/contract): `readRequest` takes the
 * keys the schema declares as the allowed fields (an unknown field is 400 `request/unknown-field`, as
 * expectObject answered before) and leaves the values to the service, which checks them with its own error
 * codes; `parseRequest` validates the whole body with the schema and answers a failure with the caller's
 * problem and one field error per failing field, in the problem shape of core/problem.ts.
 */
import * as v from 'valibot';
import type { FieldError, LocalisedText } from '../../core/problem.js';
import { requestKeys, type ObjectSchemaAny } from '../../core/contract/shared.js';
import { DomainError } from '../domain-error.js';
import type { ErrorCode } from '../../core/contract/errors.js';
import { expectObject, readJson } from './read-json.js';

/** The body's fields, named by the schema; their values are not checked yet. */
export type UncheckedBody<S extends ObjectSchemaAny> = { [K in keyof S['entries']]?: unknown };

export async function readRequest<S extends ObjectSchemaAny>(request: Request, schema: S, limitBytes?: number): Promise<UncheckedBody<S>> {
	return expectObject(await readJson(request, limitBytes), requestKeys(schema));
}

/**
 * Validates `body` (already read) with `schema`. A failing action's message is taken as its field error code,
 * with the text from `messages`; the problem's code is `fail` (its status from the error table).
 */
export function parseRequest<S extends v.GenericSchema>(
	schema: S,
	body: unknown,
	fail: ErrorCode,
	messages: Readonly<Record<string, LocalisedText>>
): v.InferOutput<S> {
	const r = v.safeParse(schema, body);
	if (r.success) return r.output;
	const errors: FieldError[] = r.issues.map((issue) => {
		const field = (issue.path ?? []).map((p) => String(p.key)).join('.');
		const code = issue.message in messages ? issue.message : 'field/invalid';
		return { field, code, message: messages[code] ?? { 'zh-CN': '格式错误', en: issue.message } };
	});
	throw new DomainError(fail, { errors });
}
