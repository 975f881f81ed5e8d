/**
 * The door to storage. Only `src/lib/server/store/` imports Kysely (eslint.config.js enforces it): services
 * hold a `Db` handle and call the repositories in this folder (one file per aggregate: people, codes,
 * sessions, facts, scans, audit, …); they never build a query. A handle is either the database or an open
 * transaction, so a service can run several repository calls atomically with `transaction`.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** The database (a pool on PostgreSQL, one connection on SQLite). */
export type Store = Kysely<Database>;
/** An open transaction: every repository call made with it commits or rolls back together. */
export type StoreTx = Transaction<Database>;
/** What repositories take: the database or a transaction. */
export type Db = Store | StoreTx;

/** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
export function transaction<T>(db: Store, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
	return db.transaction().execute(fn);
}
