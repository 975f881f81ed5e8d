/**
 * An expected failure, named by a stable code from the error table (src/lib/core/contract/errors.ts): what
 * services throw when they refuse a request. Services do not know HTTP: only the HTTP layer
 * (src/lib/server/http/respond.ts) turns the code into a status and a problem+json body, and clients word it
 * from the `errors` catalogue in the reader's language. Anything else thrown is an unexpected error (500).
 */
import type { ErrorCode, ErrorParams } from '../core/contract/errors.js';
import type { FieldError } from '../core/problem.js';

/** One failed rule on one field, with its message in both languages (rendered per field by the clients). */
export type FieldProblem = FieldError;

export interface DomainErrorExtras {
	/** Values the message interpolates ({{max}}, {{count}}): sent to clients as the problem's `params`. */
	params?: ErrorParams;
	errors?: FieldProblem[];
	/** Sent as Retry-After (whole seconds, at least 1). */
	retryAfterSeconds?: number;
	/** For API clients and logs, in English; apps do not show it. */
	detail?: string;
}

export class DomainError extends Error {
	readonly params: ErrorParams | undefined;
	readonly errors: FieldProblem[] | undefined;
	readonly retryAfterSeconds: number | undefined;
	readonly detail: string | undefined;

	constructor(
		readonly code: ErrorCode,
		extras: DomainErrorExtras = {}
	) {
		super(extras.detail ? `${code}: ${extras.detail}` : code);
		this.name = 'DomainError';
		this.params = extras.params;
		this.errors = extras.errors;
		this.retryAfterSeconds = extras.retryAfterSeconds;
		this.detail = extras.detail;
	}
}
