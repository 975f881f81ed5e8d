/**
 * The error table: every stable error code the API answers with (problem+json `code`) or a client makes up for
 * a failure that never reached the API, with its HTTP status and whether retrying later may succeed.
 *
 * Why one table: services name the failure (DomainError, src/lib/server/domain-error.ts) and only the HTTP
 * layer turns the code into a status (src/lib/server/http/respond.ts); clients render the code in the
 * reader's language from the `errors` catalogue (src/lib/i18n/locales/errors.ts), never from a server title.
 * Pure and browser-safe: apps, server and tests import it alike. Messages per code: the catalogue (a test
 * checks that every code here has one in both languages and that no message is orphaned).
 *
 * Client-side codes carry status 0: no HTTP status belongs to them (the request never got a usable answer).
 */

export interface ErrorSpec {
	/** The HTTP status the server answers with; 0 for failures only a client sees. */
	readonly status: number;
	/** Whether the same request may succeed later unchanged (server sends Retry-After when it knows how long). */
	readonly retryable: boolean;
}

const e = (status: number, retryable = false): ErrorSpec => ({ status, retryable });

export const ERRORS = {
	// Requests: shape, size and origin (src/lib/server/http/read-json.ts, hooks.server.ts)
	'request/cross-site': e(403),
	'request/content-type': e(415),
	'request/too-large': e(413),
	'request/malformed-json': e(400),
	// a percent sign in the path not followed by a UTF-8 byte sequence (hooks.server.ts, malformed-path.ts)
	'request/malformed-path': e(400),
	'request/not-object': e(400),
	'request/unknown-field': e(400),
	'request/invalid': e(400),
	'not-found': e(404),
	'server/busy': e(503, true),
	// the database is locked or out of connections for longer than it waits (http/respond.ts): retry after Retry-After
	'db/busy': e(503, true),
	// the disk is full, the data directory read-only, or a write failed at the file system (store/errors.ts
	// storageFailure, docs/drills.md §5): nothing was written; retry after Retry-After, once an operator has fixed it
	'storage/full': e(503, true),
	'storage/read-only': e(503, true),
	'storage/io-error': e(503, true),
	// the app calling is older than the server accepts (contract/client-version.ts): reload to update
	'client/upgrade-required': e(426),
	internal: e(500, true),

	// Sessions and callers (http/guard.ts, staff, guard devices, data sources)
	'auth/required': e(401),
	'auth/device': e(401),
	'auth/source': e(401),
	// a credential that existed and was withdrawn: say so, so the device or source stops retrying blindly
	'device/revoked': e(403),
	'sms/unavailable': e(503, true),
	'source/revoked': e(403),
	'otp/invalid': e(400),
	'otp/expired': e(400),
	'otp/locked': e(429, true),
	'otp/rate-limited': e(429, true),
	'staff/invalid': e(401),
	'staff/rate-limited': e(429, true),
	// issue 15, people and devices (http/guard.ts, staff/staff-accounts.ts, keys/console-keys.ts)
	'staff/disabled': e(401),
	'staff/forbidden': e(403),
	'staff/username-invalid': e(400),
	'staff/username-taken': e(409),
	'staff/role-invalid': e(400),
	'staff/not-found': e(404),
	'staff/self': e(409),
	'venue/invalid': e(400),
	'key/not-found': e(404),
	'key/confirm-mismatch': e(400),
	'key/region-invalid': e(400),

	// Residents: declarations, members, identity checks, codes, appeals
	'validation-failed': e(422),
	'declaration/invalid': e(422),
	'identity/not-registered': e(422),
	'identity/name-mismatch': e(422),
	'identity/phone-mismatch': e(422),
	'identity/registered-elsewhere': e(409),
	'identity/relation-conflict': e(409),
	'member/invalid': e(422),
	'member/declare-self-first': e(409),
	'member/limit': e(409),
	'member/not-found': e(404),
	// member consent (issuer/member-links.ts): adds are rate-limited per account and per ID; a link already held
	'member/rate-limited': e(429, true),
	'member/already-linked': e(409),
	'member/link-not-found': e(404),
	'member/link-not-pending': e(409),
	'member/link-register-mismatch': e(409),
	'person/not-found': e(404),
	'device/not-registered': e(409),
	'issuer/no-key': e(503, true),
	'paper/invalid': e(422),
	'paper/no-decision': e(409),
	'appeal/invalid': e(422),
	'appeal/not-found': e(404),
	'appeal/person-not-found': e(404),
	'appeal/code-not-found': e(404),
	// Console: appeals to an outcome and person lookup (issue 15, server/appeals/)
	'appeal/not-open': e(409),
	'correction/stale': e(409),
	'lookup/invalid': e(422),
	'lookup/not-found': e(404),

	// Lists the scanners fetch
	'status/region': e(400),
	'status/since': e(400),
	'status/unknown-region': e(404),
	'trust-list/unavailable': e(503, true),
	// National gateway (issue 14, server/federation/gateway-trust.ts): uploads of region key lists and status lists
	'gateway/region': e(400),
	'gateway/have': e(400),
	'gateway/bad-document': e(400),
	'gateway/unknown-region': e(404),
	'gateway/forged': e(422),
	'gateway/wrong-region': e(422),
	'gateway/replayed': e(409),
	'gateway/gap': e(409),
	'gateway/unavailable': e(503, true),
	// per-region upload budget on the gateway (federation/gateway-upload-limit.ts)
	'gateway/rate-limited': e(429, true),

	// Authority: rules, risk areas, venues
	'rules/invalid': e(422),
	'rules/version-exists': e(409),
	'area/invalid': e(422),
	'area/not-found': e(404),
	'area/ended': e(409),
	// the console map's district outlines (server/map/districts.ts)
	'map/bad-districts': e(422),
	'venue/not-found': e(404),
	// issue 13: console revocation of guard devices and source keys
	'credential/not-found': e(404),

	// Proposals: no one changes colours alone (server/proposals/)
	'proposal/reason': e(422),
	'proposal/not-found': e(404),
	'proposal/not-pending': e(409),
	// The audit viewer's filters (server/audit/audit-log.ts)
	'audit/bad-filter': e(400),
	'proposal/own': e(403),
	'proposal/preview-changed': e(409),
	'override/invalid': e(422),
	'override/not-found': e(404),
	// issue 15: contact tracing (server/tracing/)
	'tracing/invalid': e(422),
	'tracing/case-not-found': e(404),

	// Data sources: pushes and console imports
	'source/unknown': e(404),
	'source/unknown-kind': e(404),
	'source/shape': e(400),
	'source/too-many': e(413),
	'source/invalid-records': e(422),
	'source/unavailable': e(503, true),
	// Federation (docs/federation.md §Facts): a region's signed message to the gateway refused whole
	'federation/refused': e(400),
	'federation/signature': e(401),
	'federation/not-configured': e(409),
	'federation/unavailable': e(503, true),
	// cross-region tracing (federation/tracing.ts)
	'fed-tracing/invalid': e(422),
	'fed-tracing/not-found': e(404),
	'fed-tracing/not-pending': e(409),
	'fed-tracing/rate-limited': e(429, true),
	'import/source': e(400),
	'import/kind': e(400),
	'import/encoding-param': e(400),
	'import/invalid-rows': e(422),
	/** the CSV header row does not name the kind's columns (missing / unknown / repeated): no row was read */
	'import/bad-header': e(422),

	// Client side: the request got no usable answer
	/** fetch failed: offline, server down, connection cut. */
	'network/unavailable': e(0, true),
	/** An answer that is not the JSON expected (a proxy's HTML page, a truncated body, a JSON parse failure). */
	'network/bad-response': e(0, true),
	/** Any status without a code this client knows (`http/<status>`): rendered with the status. */
	'http/unexpected': e(0, true)
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export function isErrorCode(code: unknown): code is ErrorCode {
	return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

/** The HTTP status a code is answered with (0 for client-side codes). */
export function errorStatus(code: ErrorCode): number {
	return ERRORS[code].status;
}

export function isRetryable(code: ErrorCode): boolean {
	return ERRORS[code].retryable;
}

/** Interpolation values a message may use ({{max}}, {{count}}, …): numbers and short texts only. */
export type ErrorParams = Readonly<Record<string, string | number>>;
