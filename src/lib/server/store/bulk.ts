/**
 * Bulk inserts for seeding and benchmarks: multi-row INSERT statements of a fixed shape, passed as raw
 * compiled SQL so the query builder is skipped (at millions of rows its per-row cost dominates) and the
 * SQLite statement cache (open.ts) reuses one prepared statement per shape. Both engines: `?` placeholders
 * for SQLite, `$n` for PostgreSQL. Rows per statement are chosen to stay under both engines' parameter limits.
 */
import { CompiledQuery, PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;
const MAX_PARAMS = 30_000;
const texts = new Map<string, string>();

function insertText(pg: boolean, table: string, columns: readonly string[], rows: number, conflict: string): string {
	const key = `${pg}|${table}|${columns.join(',')}|${rows}|${conflict}`;
	let text = texts.get(key);
	if (!text) {
		let n = 0;
		const tuple = () => `(${columns.map(() => (pg ? `$${++n}` : '?')).join(',')})`;
		text = `insert into ${table} (${columns.join(',')}) values ${Array.from({ length: rows }, tuple).join(',')}${conflict ? ` ${conflict}` : ''}`;
		texts.set(key, text);
	}
	return text;
}

export class BulkInserter {
	private readonly pg: boolean;
	private readonly perStatement: number;
	private rows: unknown[] = [];
	count = 0;

	constructor(
		db: Db,
		readonly table: keyof Database,
		readonly columns: readonly string[],
		/** e.g. 'on conflict (id) do nothing' */
		readonly conflict = ''
	) {
		this.pg = db.getExecutor().adapter instanceof PostgresAdapter;
		this.perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
	}

	/** Queues one row (values in column order); writes a full statement's worth through `db`. */
	async add(db: Db, values: readonly unknown[]): Promise<void> {
		this.push(values);
		if (this.rows.length >= this.perStatement * this.columns.length) await this.write(db, this.perStatement);
	}

	/**
	 * Queues one row without writing (synchronous: at 100 M rows an `await` per row is measurable); call
	 * drain() now and then (e.g. once per household) to write the full statements queued so far.
	 */
	push(values: readonly unknown[]): void {
		for (let i = 0; i < values.length; i++) this.rows.push(values[i]);
		this.count++;
	}

	/** Writes every full statement's worth of queued rows (the remainder waits for more rows or flush()). */
	async drain(db: Db): Promise<void> {
		const full = this.perStatement * this.columns.length;
		while (this.rows.length >= full) await this.write(db, this.perStatement);
	}

	async flush(db: Db): Promise<void> {
		const n = this.rows.length / this.columns.length;
		if (n > 0) await this.write(db, n);
	}

	private async write(db: Db, n: number): Promise<void> {
		const take = n * this.columns.length;
		let params: unknown[];
		if (take === this.rows.length) {
			params = this.rows;
			this.rows = [];
		} else params = this.rows.splice(0, take);
		await db.executeQuery(CompiledQuery.raw(insertText(this.pg, this.table, this.columns, n, this.conflict), params));
	}
}
