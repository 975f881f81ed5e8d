/**
 * Thin fetch helpers for the issuer API: JSON in, JSON or problem+json out. Never throws: HTTP errors, network
 * failures and unreadable answers all come back as an ApiProblem with a code from the error table
 * (core/contract/errors.ts), which pages word with errorMessage (src/lib/i18n/error-message.ts).
 */
import { badResponse, NETWORK_PROBLEM, problemFromResponse, type ApiProblem } from '$lib/core/contract/error-problem';
import { CLIENT_VERSION_HEADER, CONTRACT_VERSION } from '$lib/core/contract/client-version';

export { badResponse, NETWORK_PROBLEM, toProblem, type ApiProblem } from '$lib/core/contract/error-problem';

export type ApiResult<T> = { ok: true; status: number; data: T; headers: Headers } | { ok: false; problem: ApiProblem };

/**
 * `timeoutMs`: give up after that long (a network problem, like a refused connection) — for background calls
 * whose failure the page must report within seconds (a server that accepts the connection and never answers).
 */
export async function api<T>(
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
	timeoutMs?: number
): Promise<ApiResult<T>> {
	let response: Response;
	try {
		response = await fetch(path, {
			method,
			credentials: 'same-origin',
			cache: 'no-store',
			// every call says which contract it speaks: a server that no longer accepts it answers 426 (version skew)
			headers: {
				[CLIENT_VERSION_HEADER]: String(CONTRACT_VERSION),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...headers
			},
			body: body === undefined ? null : JSON.stringify(body),
			...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) })
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
	return { ok: false, problem: await problemFromResponse(response) };
}
