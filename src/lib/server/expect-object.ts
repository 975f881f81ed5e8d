/**
 * The first shape check on a request body, shared by route handlers and services: a plain JSON object with only
 * the fields the endpoint knows. Outside src/lib/server/http/ so services can use it without importing HTTP.
 */
import { DomainError } from './domain-error.js';

/** Rejects fields the endpoint does not know: a typo must not be silently ignored. */
export function expectObject(body: unknown, allowed: readonly string[]): Record<string, unknown> {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DomainError('request/not-object');
	const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
	if (unknown.length) {
		throw new DomainError('request/unknown-field', {
			errors: unknown.map((field) => ({
				field,
				code: 'request/unknown-field',
				message: { 'zh-CN': `未知字段 ${field}`, en: `unknown field ${field}` }
			}))
		});
	}
	return body as Record<string, unknown>;
}
