/**
 * RFC 9457 problem details, as plain objects: routes serialise them with PROBLEM_CONTENT_TYPE and the
 * problem's status. Clients key off `code` (stable) and, for validation problems, `errors[].code`;
 * `title` and `detail` are for people and logs.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://tongxing.example/problems/';

/** Text shown to residents: Simplified Chinese first, English second. */
export interface LocalisedText {
	'zh-CN': string;
	en: string;
}

/** One failed rule on one input field. */
export interface FieldError {
	/** Dotted path into the input, e.g. `phone`, `travel.0.from`; '' for the input as a whole. */
	field: string;
	/** Stable code, e.g. `phone/format`, `id/checksum`, `declaration/unknown-field`. */
	code: string;
	message: LocalisedText;
}

export interface Problem {
	type: string;
	title: string;
	status: number;
	code: string;
	detail?: string;
	instance?: string;
	errors?: FieldError[];
	[extension: string]: unknown;
}

const CODE = /^[a-z0-9]+(?:[-/][a-z0-9]+)*$/;

/**
 * Builds a problem. `code` is lower-case words joined by '-' or '/' and becomes the last part of `type`.
 * Extension members in `extras` are copied, except that they cannot replace the members above.
 * Throws RangeError for a status outside 400–599 or a malformed code: both are programming errors.
 */
export function problem(
	status: number,
	code: string,
	title: string,
	detail?: string,
	extras: { errors?: FieldError[]; instance?: string; [extension: string]: unknown } = {}
): Problem {
	if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`problem status ${status}`);
	if (!CODE.test(code)) throw new RangeError(`problem code ${JSON.stringify(code)}`);
	const out: Problem = { ...extras, type: `${PROBLEM_TYPE_BASE}${code}`, title, status, code };
	if (detail === undefined) delete out.detail;
	else out.detail = detail;
	if (extras.errors === undefined) delete out.errors;
	return out;
}

/** 422 with per-field errors: what the issuer answers for a declaration that fails validation. */
export function validationProblem(errors: FieldError[], detail?: string): Problem {
	return problem(422, 'validation-failed', 'The submission has invalid fields', detail, { errors });
}
