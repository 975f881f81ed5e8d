/**
 * Thin-handler glue: run a service, answer JSON; a DomainError → RFC 9457 problem+json. The only place a code
 * becomes an HTTP status (the error table, core/contract/errors.ts) and a title (the English catalogue).
 * Unexpected errors are logged (without request bodies: they hold personal data) and answered 500.
 */
import { ERRORS } from '../../core/contract/errors.js';
import { PROBLEM_CONTENT_TYPE, problem } from '../../core/problem.js';
import { DomainError } from '../domain-error.js';
import { errorTitle } from '../error-title.js';

export function problemResponse(e: DomainError): Response {
	const status = ERRORS[e.code].status;
	const extras: Parameters<typeof problem>[4] = {};
	if (e.params && Object.keys(e.params).length) extras.params = e.params;
	if (e.errors) extras.errors = e.errors;
	const body = problem(status, e.code, errorTitle(e.code, e.params), e.detail, extras);
	const headers = new Headers({ 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' });
	if (e.retryAfterSeconds !== undefined) headers.set('retry-after', String(Math.max(1, Math.ceil(e.retryAfterSeconds))));
	return new Response(JSON.stringify(body), { status, headers });
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
		if (e instanceof DomainError) return problemResponse(e);
		console.error('unexpected error', e instanceof Error ? e.stack : e);
		return problemResponse(new DomainError('internal'));
	}
}
