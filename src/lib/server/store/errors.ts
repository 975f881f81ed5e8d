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
