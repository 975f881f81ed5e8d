/**
 * Migration 010: the audit tables are append-only for the application (issue: colour integrity — a colour changed
 * by anyone must stay visible to everyone affected; June 2022 showed what unaccountable recolouring does).
 * colour_events (each person's decisions, what the app's history shows) and resident_colour_events (every resident's
 * colour changes, with actor, rule version and facts) refuse UPDATE and DELETE:
 * - SQLite: BEFORE UPDATE / BEFORE DELETE triggers that abort the statement;
 * - PostgreSQL: the same as row triggers plus a TRUNCATE statement trigger, and the privileges revoked from the
 *   role that runs the application (and PUBLIC), so neither a code path nor a hand-typed query can rewrite history.
 * Retention never touches these tables. The bench's cached city undoes its own measurements with the triggers
 * lifted (bench/city-cache.ts, an operator's tool on its own copy), using the statements exported here.
 */
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

export const APPEND_ONLY_TABLES = ['colour_events', 'resident_colour_events'] as const;
export type AppendOnlyTable = (typeof APPEND_ONLY_TABLES)[number];

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

/** SQLite: the statements that create (and drop) the guard triggers of one table. */
export function sqliteAppendOnlyTriggers(table: AppendOnlyTable): { create: string[]; drop: string[] } {
	return {
		create: (['update', 'delete'] as const).map(
			(op) => `create trigger ${table}_no_${op} before ${op} on ${table} begin select raise(abort, '${table} is append-only'); end`
		),
		drop: ['update', 'delete'].map((op) => `drop trigger if exists ${table}_no_${op}`)
	};
}

async function up(db: Kysely<unknown>): Promise<void> {
	if (!isPostgres(db)) {
		for (const t of APPEND_ONLY_TABLES) for (const s of sqliteAppendOnlyTriggers(t).create) await sql.raw(s).execute(db);
		return;
	}
	await sql`create or replace function tongxing_append_only() returns trigger language plpgsql as $$
		begin raise exception '% is append-only', tg_table_name using errcode = 'insufficient_privilege'; end $$`.execute(db);
	for (const t of APPEND_ONLY_TABLES) {
		await sql
			.raw(`create trigger ${t}_append_only before update or delete on ${t} for each row execute function tongxing_append_only()`)
			.execute(db);
		await sql
			.raw(`create trigger ${t}_no_truncate before truncate on ${t} for each statement execute function tongxing_append_only()`)
			.execute(db);
		await sql.raw(`revoke update, delete, truncate on ${t} from public, current_user`).execute(db);
	}
}

async function down(db: Kysely<unknown>): Promise<void> {
	if (!isPostgres(db)) {
		for (const t of APPEND_ONLY_TABLES) for (const s of sqliteAppendOnlyTriggers(t).drop) await sql.raw(s).execute(db);
		return;
	}
	for (const t of APPEND_ONLY_TABLES) {
		await sql.raw(`grant update, delete, truncate on ${t} to current_user`).execute(db);
		await sql.raw(`drop trigger if exists ${t}_append_only on ${t}`).execute(db);
		await sql.raw(`drop trigger if exists ${t}_no_truncate on ${t}`).execute(db);
	}
	await sql`drop function if exists tongxing_append_only()`.execute(db);
}

export const migration010: Migration = { up, down };
