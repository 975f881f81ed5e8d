/** Thin fetch helpers for the issuer API: JSON in, JSON or problem+json out. Never throws for HTTP errors. */
import type { FieldError } from '$lib/core/problem';

export interface ApiProblem {
	status: number;
	code: string;
	title: string;
	errors: FieldError[];
	retryAfterSeconds?: number;
}

export type ApiResult<T> = { ok: true; status: number; data: T; headers: Headers } | { ok: false; problem: ApiProblem };

/** A network failure (offline, server down) as a problem with status 0, so callers handle one shape. */
const NETWORK: ApiProblem = { status: 0, code: 'network/unavailable', title: 'network unavailable', errors: [] };

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
		return { ok: false, problem: NETWORK };
	}
	if (response.ok || response.status === 304) {
		const type = response.headers.get('content-type') ?? '';
		const data = (type.includes('json') && response.status !== 204 && response.status !== 304 ? await response.json() : null) as T;
		return { ok: true, status: response.status, data, headers: response.headers };
	}
	let problem: ApiProblem = { status: response.status, code: 'http/' + response.status, title: response.statusText, errors: [] };
	try {
		const p = (await response.json()) as Partial<ApiProblem>;
		problem = { ...problem, ...p, status: response.status, errors: Array.isArray(p.errors) ? p.errors : [] };
	} catch {
		// not JSON (a proxy's error page): keep the status
	}
	return { ok: false, problem };
}
