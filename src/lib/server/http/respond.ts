/**
 * Thin-handler glue: run a service, answer JSON; a DomainError → RFC 9457 problem+json. The only place a code
 * becomes an HTTP status (the error table, core/contract/errors.ts) and a title (the English catalogue).
 * A busy database (store/errors.ts isDatabaseBusy) is answered 503 db/busy with Retry-After; a full disk or a read-only
 * data directory (storageFailure) 503 storage/full, storage/read-only or storage/io-error with Retry-After.
 * Unexpected errors are logged (without request bodies: they hold personal data) and answered 500.
 */
import { ERRORS } from '../../core/contract/errors.js';
import { PROBLEM_CONTENT_TYPE, problem } from '../../core/problem.js';
import { DomainError } from '../domain-error.js';
import { errorTitle } from '../error-title.js';
import { isDatabaseBusy, isUnstorableText, storageFailure } from '../store/errors.js';

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

/** Seconds a client waits after a storage failure: an operator has to act (free space, remount), so not a moment. */
export const STORAGE_RETRY_AFTER_S = 10;

/** Seconds a client waits after db/busy: a few import batches or one busy_timeout's worth. */
export const DB_BUSY_RETRY_AFTER_S = 2;

export async function respond(fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		if (e instanceof DomainError) return problemResponse(e);
		// a locked or saturated database is a moment's wait, not a fault: 503 + Retry-After, never 500
		if (isDatabaseBusy(e)) return problemResponse(new DomainError('db/busy', { retryAfterSeconds: DB_BUSY_RETRY_AFTER_S }));
		// text PostgreSQL cannot store (a NUL character in a path or query parameter): the request's fault
		if (isUnstorableText(e))
			return problemResponse(new DomainError('request/invalid', { detail: 'The request has a character that cannot be stored (U+0000)' }));
		// a full disk or read-only data directory: the write was refused whole; logged once per request, answered
		// 503 + Retry-After (never 500), and the same request succeeds once storage is back
		const storage = storageFailure(e);
		if (storage) {
			console.error(`[storage] ${storage}: ${e instanceof Error ? e.message : String(e)}`);
			return problemResponse(new DomainError(storage, { retryAfterSeconds: STORAGE_RETRY_AFTER_S }));
		}
		console.error('unexpected error', e instanceof Error ? e.stack : e);
		return problemResponse(new DomainError('internal'));
	}
}
