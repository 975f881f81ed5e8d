/**
 * An expected failure with a stable code, raised by services and turned into problem+json by `respond`.
 * Anything else thrown is an unexpected error: logged, and answered with a generic 500 that leaks nothing.
 */
import type { FieldError } from '../../core/problem.js';

export type FieldProblem = FieldError;

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly title: string,
		readonly extras: { errors?: FieldProblem[]; retryAfterSeconds?: number; detail?: string } = {}
	) {
		super(`${code}: ${title}`);
	}
}
