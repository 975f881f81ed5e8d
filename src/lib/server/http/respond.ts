/**
 * Thin-handler glue: run a service, answer JSON; ApiError → RFC 9457 problem+json with a stable `code`.
 * Unexpected errors are logged (without request bodies: they hold personal data) and answered 500.
 */
import { PROBLEM_CONTENT_TYPE, problem } from '../../core/problem.js';
import { ApiError } from './api-error.js';

export function problemResponse(e: ApiError): Response {
	const body = problem(e.status, e.code, e.title, e.extras.detail, e.extras.errors ? { errors: e.extras.errors } : {});
	const headers = new Headers({ 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' });
	if (e.extras.retryAfterSeconds !== undefined) headers.set('retry-after', String(Math.max(1, Math.ceil(e.extras.retryAfterSeconds))));
	return new Response(JSON.stringify(body), { status: e.status, headers });
}

export function jsonResponse(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
	return new Response(JSON.stringify(body), {
		status: init.status ?? 200,
		headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...init.headers }
	});
}

export async function respond(fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		if (e instanceof ApiError) return problemResponse(e);
		console.error('unexpected error', e instanceof Error ? e.stack : e);
		return problemResponse(new ApiError(500, 'internal', 'Internal error / 服务器内部错误'));
	}
}
