/**
 * Recognising constraint errors from either engine without importing a driver:
 * - better-sqlite3 throws SqliteError with an extended result code in `code`
 *   (SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_FOREIGNKEY, …);
 * - pg throws DatabaseError with the SQLSTATE in `code` (23505 unique_violation, 23503 foreign_key_violation).
 * A primary-key clash counts as a unique violation (PostgreSQL reports it as 23505 too).
 */

function errorCode(e: unknown): string | undefined {
	if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
	const code = e.code;
	return typeof code === 'string' ? code : undefined;
}

/** True when `e` is a UNIQUE or PRIMARY KEY violation from SQLite or PostgreSQL. */
export function isUniqueViolation(e: unknown): boolean {
	const code = errorCode(e);
	return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when `e` is a FOREIGN KEY violation from SQLite or PostgreSQL. */
export function isForeignKeyViolation(e: unknown): boolean {
	const code = errorCode(e);
	return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** True when SQLite gave up waiting for another connection's lock (after busy_timeout). */
export function isSqliteBusy(e: unknown): boolean {
	const code = errorCode(e);
	return code !== undefined && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/**
 * PostgreSQL SQLSTATEs that mean "busy, try again", not "wrong": 55P03 lock_not_available (lock_timeout),
 * 57014 query_canceled (statement_timeout), 53300 too_many_connections, 53400 configuration_limit_exceeded,
 * 40001 serialization_failure, 40P01 deadlock_detected.
 */
const PG_BUSY = new Set(['55P03', '57014', '53300', '53400', '40001', '40P01']);

/**
 * True when the database could not serve the request for now (it will, shortly): SQLite's lock still held after
 * busy_timeout, a PostgreSQL lock/statement timeout or connection limit, or pg's pool giving up waiting for a
 * free connection (an Error with that message, no code). http/respond.ts answers 503 db/busy + Retry-After.
 */
export function isDatabaseBusy(e: unknown): boolean {
	if (isSqliteBusy(e)) return true;
	const code = errorCode(e);
	if (code !== undefined && PG_BUSY.has(code)) return true;
	return e instanceof Error && /timeout exceeded when trying to connect/i.test(e.message);
}

/**
 * PostgreSQL refused text it cannot store: 22021 character_not_in_repertoire ("invalid byte sequence for encoding
 * UTF8: 0x00" — PostgreSQL text cannot hold U+0000, SQLite's can) or 22P05 untranslatable_character. The value came
 * from the request (a path or query parameter, a field the JSON reader did not see), so it is the request that is
 * wrong: http/respond.ts answers 400 request/invalid, never 500.
 */
export function isUnstorableText(e: unknown): boolean {
	const code = errorCode(e);
	return code === '22021' || code === '22P05';
}

/** What a storage failure is, as the error table names it (http/respond.ts answers 503 + Retry-After). */
export type StorageFailure = 'storage/full' | 'storage/read-only' | 'storage/io-error';

/**
 * PostgreSQL SQLSTATEs that mean the database cannot write now, not that the request is wrong: 53100 disk_full,
 * 25006 read_only_sql_transaction (a standby, or default_transaction_read_only), 58030 io_error.
 */
const PG_STORAGE: Record<string, StorageFailure> = { '53100': 'storage/full', '25006': 'storage/read-only', '58030': 'storage/io-error' };

/**
 * The disk is full, the data directory read-only, or a write failed at the file system (docs/drills.md §5):
 * SQLITE_FULL, SQLITE_READONLY and its extended codes (SQLITE_READONLY_DBMOVED, …), SQLITE_IOERR_* (a kernel that
 * remounted the file system read-only after an error answers the first writes with SQLITE_IOERR_WRITE), and the
 * PostgreSQL SQLSTATEs above. Each is a wait until an operator frees space or remounts, never a fault in the
 * request: the write was refused whole (SQLite and PostgreSQL roll the statement or transaction back), so nothing
 * half-written stays behind, and the same request succeeds once storage is back.
 */
export function storageFailure(e: unknown): StorageFailure | undefined {
	const code = errorCode(e);
	if (code === undefined) return undefined;
	if (code === 'SQLITE_FULL') return 'storage/full';
	if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) return 'storage/read-only';
	if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_')) return 'storage/io-error';
	return PG_STORAGE[code];
}
