/**
 * Thin fetch helpers for the issuer API: JSON in, JSON or problem+json out. Never throws: HTTP errors, network
 * failures and unreadable answers all come back as an ApiProblem with a code from the error table
 * (core/contract/errors.ts), which pages word with errorMessage (src/lib/i18n/error-message.ts).
 */
import type { ErrorParams } from '$lib/core/contract/errors';
import type { FieldError } from '$lib/core/problem';

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

export type ApiResult<T> = { ok: true; status: number; data: T; headers: Headers } | { ok: false; problem: ApiProblem };

/** A network failure (offline, server down) as a problem with status 0, so callers handle one shape. */
export const NETWORK_PROBLEM: ApiProblem = { status: 0, code: 'network/unavailable', title: 'network unavailable', errors: [] };

/** An answer that is not the JSON expected (a proxy's HTML page, a truncated body), keeping its status. */
export function badResponse(status: number): ApiProblem {
	return { status, code: 'network/bad-response', title: 'unreadable response', errors: [] };
}

/** A problem+json body (or whatever came instead) as an ApiProblem: only the members of the right types. */
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

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
	let response: Response;
	try {
		response = await fetch(path, {
			method,
			credentials: 'same-origin',
			cache: 'no-store',
			headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
			body: body === undefined ? null : JSON.stringify(body)
		});
	} catch {
		return { ok: false, problem: NETWORK_PROBLEM };
	}
	if (response.ok || response.status === 304) {
		const type = response.headers.get('content-type') ?? '';
		if (!type.includes('json') || response.status === 204 || response.status === 304)
			return { ok: true, status: response.status, data: null as T, headers: response.headers };
		try {
			return { ok: true, status: response.status, data: (await response.json()) as T, headers: response.headers };
		} catch {
			// a body cut short or not JSON after all: the parser's message is no use to anyone reading the page
			return { ok: false, problem: badResponse(response.status) };
		}
	}
	let parsed: unknown = null;
	try {
		parsed = await response.json();
	} catch {
		// not JSON (a proxy's error page): network/bad-response with the status
	}
	return { ok: false, problem: toProblem(response.status, parsed) };
}
