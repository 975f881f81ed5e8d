/**
 * A failed request as the apps hold it (ApiProblem): a code from the error table (./errors.ts), the HTTP status
 * (0: no answer at all), the server's params and field errors. Built here from whatever came back — a
 * problem+json body, some other JSON, an HTML page, a thrown fetch — so every app (resident, console, scanner)
 * turns failures into codes the same way and never shows "Failed to fetch" or a JSON parser's message.
 * Pure and browser-safe.
 */
import type { FieldError } from '../problem.js';
import type { ErrorParams } from './errors.js';

export interface ApiProblem {
	/** The HTTP status; 0 when no answer arrived (offline, server down). */
	status: number;
	code: string;
	/** The server's English title, for logs only: pages show errorMessage(problem, t). */
	title: string;
	errors: FieldError[];
	/** Values the message interpolates ({{max}}, {{count}}). */
	params?: ErrorParams;
	detail?: string;
	retryAfterSeconds?: number;
}

/** A network failure (offline, server down, connection cut) as a problem with status 0. */
export const NETWORK_PROBLEM: ApiProblem = Object.freeze({
	status: 0,
	code: 'network/unavailable',
	title: 'network unavailable',
	errors: []
});

/** An answer that is not the JSON expected (a proxy's HTML page, a truncated body), keeping its status. */
export function badResponse(status: number): ApiProblem {
	return { status, code: 'network/bad-response', title: 'unreadable response', errors: [] };
}

/** A parsed error body (null: it was not JSON) as an ApiProblem, keeping only members of the right types. */
export function toProblem(status: number, body: unknown): ApiProblem {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return badResponse(status);
	const p = body as Record<string, unknown>;
	const problem: ApiProblem = {
		status,
		// JSON without a code (a framework's own error): `http/<status>`, worded as the generic message
		code: typeof p.code === 'string' ? p.code : `http/${status}`,
		title: typeof p.title === 'string' ? p.title : '',
		errors: Array.isArray(p.errors) ? (p.errors as FieldError[]) : []
	};
	if (typeof p.params === 'object' && p.params !== null && !Array.isArray(p.params)) problem.params = p.params as ErrorParams;
	if (typeof p.detail === 'string') problem.detail = p.detail;
	return problem;
}

/** A non-2xx fetch Response as an ApiProblem (reads the body once). */
export async function problemFromResponse(response: Response): Promise<ApiProblem> {
	let body: unknown = null;
	try {
		body = await response.json();
	} catch {
		// not JSON (a proxy's error page): network/bad-response with the status
	}
	const problem = toProblem(response.status, body);
	// A shedding server (503 server/busy, db/busy) or a rate limit (429) says when to come back; the clients'
	// backoff takes it as a floor (resident sync-round.ts nextDelayMs, scanner sync.ts backoffMs).
	const retryAfter = Number(response.headers.get('retry-after') ?? '');
	if (response.headers.has('retry-after') && Number.isFinite(retryAfter) && retryAfter >= 0) problem.retryAfterSeconds = retryAfter;
	return problem;
}

/** Thrown by client code that fails on a problem, so callers up the stack can still word it by code. */
export class ProblemError extends Error {
	constructor(readonly problem: ApiProblem) {
		super(problem.code);
		this.name = 'ProblemError';
	}
}

/**
 * Whatever a fetch-and-parse step threw, as a problem: a ProblemError's own; fetch's TypeError is the network;
 * anything else (a JSON SyntaxError, a body that did not verify) is an answer that could not be used.
 */
export function problemFromThrown(e: unknown): ApiProblem {
	if (e instanceof ProblemError) return e.problem;
	if (e instanceof TypeError) return NETWORK_PROBLEM;
	return badResponse(0);
}
