/**
 * Bulk file import (`tongxing import SOURCE FILE`, and the console's upload endpoint): CSV with a header row,
 * or JSON (an array of objects, or NDJSON: one object per line). The file is streamed — bytes → decoder →
 * rows — and never held whole; every row is validated by the kind's validator (kinds.ts, the same one the push
 * API uses) and staged in short transactions, then applied in short transactions once the whole file is valid
 * (importRows below: other requests interleave, and a file is still all or nothing): after the first bad row
 * nothing more is staged, the remaining rows are still validated (so the report lists every error, capped at
 * MAX_REPORTED_ERRORS plus a count), and the staged rows are discarded.
 *
 * Encodings: UTF-8 (a BOM is skipped) unless told otherwise; GBK / GB18030 — common for Chinese government
 * exports — with `encoding: 'gb18030'` (iconv-lite; GB18030 is a superset of GBK and GB2312). Bytes that are not
 * valid UTF-8 without that flag stop the import with the line number and a hint, rather than importing
 * mojibake.
 */
import { parse as csvParse } from 'csv-parse';
import iconv from 'iconv-lite';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { transaction, type Store, type StoreTx } from '../store/db.js';
import {
	abandonedImportRuns,
	claimImportRun,
	createImportRun,
	deleteImportRun,
	discardStagedRows,
	markImportApplying,
	stageImportRows,
	takeStagedRows,
	type ImportRun
} from '../store/import-staging.js';
import { queueForFederation } from '../federation/outbox.js';
import { KINDS, emptyAffected, isKindName, type Affected, type FieldIssue, type ParseContext, type RecordKind } from './kinds.js';
import { ENCODINGS, type ImportEncoding } from '../../core/contract/import-kinds.js';

export const MAX_REPORTED_ERRORS = 100;
/** Longest single row / JSON element accepted (a polygon with 1000 points fits easily). */
export const MAX_ROW_BYTES = 1024 * 1024;
/** Lets other requests (timers, I/O) run before the import goes on. */
const yieldToOthers = () => new Promise<void>((r) => setImmediate(r));
/** Characters handed to the CSV parser at once (see csvRows). */
const PARSE_PIECE = 8 * 1024;

export type ImportFormat = 'csv' | 'json';
export { ENCODINGS, type ImportEncoding };

export interface RowError {
	line: number;
	field: string;
	code: string;
	message: string;
	zh: string;
}

export interface ImportProgress {
	rows: number;
	bytes: number;
	totalBytes: number | undefined;
	elapsedMs: number;
}

export interface ImportOptions {
	format: ImportFormat;
	encoding?: ImportEncoding;
	/** stop with an error once more than this many bytes arrived (the console upload cap); default unlimited */
	maxBytes?: number;
	totalBytes?: number;
	onProgress?: (p: ImportProgress) => void;
	progressEveryMs?: number;
	/** for tests: the clock used for progress */
	clock?: () => number;
	/**
	 * A preview (import-preview.ts): called with one open transaction in which every staged row has been applied,
	 * before its commit; throwing rolls the whole file back (what the file would do to colours, nothing kept).
	 * Previews apply in that one transaction rather than in IMPORT_BATCH steps (the console's files are at most
	 * 64 MB), and their run stays `staging`, so a crash mid-preview is discarded, never finished.
	 */
	beforeCommit?: (tx: StoreTx, affected: Affected) => Promise<void>;
}

export interface ImportResult {
	rows: number;
	affected: Affected;
}

/** The file was refused: nothing was written. `errors` is capped; `errorCount` counts all. */
export class ImportFailed extends Error {
	override readonly name = 'ImportFailed';
	constructor(
		readonly errors: RowError[],
		readonly errorCount: number,
		readonly rows: number
	) {
		super(`${errorCount} error${errorCount === 1 ? '' : 's'}; nothing was imported`);
	}
}

const fatal = (line: number, field: string, code: string, message: string, zh: string) =>
	new ImportFailed([{ line, field, code, message, zh }], 1, 0);

// ── bytes → text ────────────────────────────────────────────────────────────────────────────────────────

/** Index of the first byte that is not part of valid UTF-8 in `b` (leading continuation bytes are skipped: they finish the previous chunk's character). */
export function firstInvalidUtf8(b: Uint8Array): number {
	let i = 0;
	while (i < b.length && i < 3 && (b[i]! & 0xc0) === 0x80) i++;
	while (i < b.length) {
		const c = b[i]!;
		const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
		if (n < 0) return i;
		for (let k = 1; k <= n; k++) {
			if (i + k >= b.length) return b.length; // runs into the next chunk
			if ((b[i + k]! & 0xc0) !== 0x80) return i;
		}
		i += n + 1;
	}
	return b.length;
}

async function* decode(
	bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	encoding: ImportEncoding,
	opts: ImportOptions,
	counter: { bytes: number }
): AsyncGenerator<string> {
	const gb = encoding === 'utf-8' ? null : iconv.getDecoder(encoding === 'gbk' ? 'gbk' : 'gb18030');
	const utf8 = new TextDecoder('utf-8', { fatal: true });
	let lines = 1;
	for await (const chunk of bytes) {
		counter.bytes += chunk.length;
		if (opts.maxBytes !== undefined && counter.bytes > opts.maxBytes) {
			throw fatal(
				lines,
				'file',
				'import/too-large',
				`file is larger than ${opts.maxBytes} bytes: split it, or use the CLI (tongxing import)`,
				`文件超过 ${opts.maxBytes} 字节：请拆分，或使用命令行导入`
			);
		}
		let text: string;
		if (gb) text = gb.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
		else {
			try {
				text = utf8.decode(chunk, { stream: true });
			} catch {
				const at = firstInvalidUtf8(chunk);
				let line = lines;
				for (let i = 0; i < at; i++) if (chunk[i] === 0x0a) line++;
				throw fatal(
					line,
					'file',
					'import/encoding',
					'not valid UTF-8: if the file is GBK or GB18030, import it with --encoding gb18030',
					'不是有效的 UTF-8：若文件为 GBK/GB18030 编码，请加 --encoding gb18030'
				);
			}
		}
		for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
		if (text) yield text;
	}
	const tail = gb
		? gb.end()
		: (() => {
				try {
					return utf8.decode();
				} catch {
					throw fatal(lines, 'file', 'import/encoding', 'the file ends inside a UTF-8 character', '文件在 UTF-8 字符中途结束');
				}
			})();
	if (tail) yield tail;
}

// ── text → rows ─────────────────────────────────────────────────────────────────────────────────────────

interface Row {
	line: number;
	raw: Record<string, unknown> | null;
	/** set when the row is not an object at all */
	problem?: { code: string; message: string; zh: string };
}

async function* csvRows(text: AsyncIterable<string>, fields: readonly string[], required: readonly string[]): AsyncGenerator<Row> {
	let headerProblem: ImportFailed | undefined;
	const parser = csvParse({
		bom: true,
		info: true,
		skip_empty_lines: true,
		trim: true,
		max_record_size: MAX_ROW_BYTES,
		columns: (header: string[]) => {
			const names = header.map((h) => h.trim());
			const unknown = names.filter((h) => !fields.includes(h));
			const missing = required.filter((f) => !names.includes(f));
			if (unknown.length || missing.length || new Set(names).size !== names.length) {
				headerProblem = new ImportFailed(
					[
						...unknown.map((f) => ({
							line: 1,
							field: f,
							code: 'import/unknown-column',
							message: `unknown column (expected: ${fields.join(', ')})`,
							zh: `未知列（应为 ${fields.join('、')}）`
						})),
						...missing.map((f) => ({
							line: 1,
							field: f,
							code: 'import/missing-column',
							message: 'required column missing from the header row',
							zh: '表头缺少必需列'
						})),
						...(new Set(names).size !== names.length
							? [{ line: 1, field: 'header', code: 'import/duplicate-column', message: 'a column appears twice', zh: '列名重复' }]
							: [])
					],
					unknown.length + missing.length + (new Set(names).size !== names.length ? 1 : 0),
					0
				);
				throw headerProblem;
			}
			return names;
		}
	});
	const feed = (async () => {
		try {
			for await (const whole of text) {
				// csv-parse parses what it is given at once: pieces of PARSE_PIECE characters, with a turn for other
				// requests between them, keep a 64 KiB body chunk from holding the event loop for tens of ms
				for (let at = 0; at < whole.length; at += PARSE_PIECE) {
					if (parser.destroyed) return;
					const t = at === 0 && whole.length <= PARSE_PIECE ? whole : whole.slice(at, at + PARSE_PIECE);
					if (at > 0) await yieldToOthers();
					if (!parser.write(t)) {
						// wait for drain or close, and drop the other listener (else one 'close' listener piles up per wait)
						await new Promise<void>((r) => {
							const done = () => {
								parser.off('drain', done);
								parser.off('close', done);
								r();
							};
							parser.once('drain', done);
							parser.once('close', done);
						});
					}
				}
			}
			parser.end();
		} catch (e) {
			parser.destroy(e as Error);
		}
	})();
	try {
		for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
			yield { line: item.info.lines, raw: item.record };
		}
	} catch (e) {
		if (e instanceof ImportFailed) throw e;
		if (headerProblem) throw headerProblem;
		const err = e as { code?: string; lines?: number; message?: string };
		if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
			throw fatal(err.lines ?? 0, 'csv', 'import/csv', `malformed CSV (${err.code}): ${err.message ?? ''}`, 'CSV 格式错误');
		}
		throw e;
	} finally {
		if (!parser.writableEnded) parser.destroy();
		await feed;
	}
}

/** JSON array of objects, or NDJSON. Splits top-level objects by tracking depth and strings; each is JSON.parsed alone. */
async function* jsonRows(text: AsyncIterable<string>): AsyncGenerator<Row> {
	let mode: 'unknown' | 'array' | 'ndjson' | 'done' = 'unknown';
	let line = 1;
	let depth = 0;
	let inString = false;
	let escape = false;
	let buf = '';
	let startLine = 0;
	let capturing = false;
	let expectComma = false;
	const bad = (l: number, message: string, zh: string) => fatal(l, 'json', 'import/json', message, zh);
	for await (const chunk of text) {
		for (let i = 0; i < chunk.length; i++) {
			const ch = chunk[i]!;
			if (capturing) {
				buf += ch;
				if (inString) {
					if (escape) escape = false;
					else if (ch === '\\') escape = true;
					else if (ch === '"') inString = false;
				} else if (ch === '"') inString = true;
				else if (ch === '{' || ch === '[') depth++;
				else if (ch === '}' || ch === ']') {
					depth--;
					if (depth === 0) {
						capturing = false;
						expectComma = mode === 'array';
						let value: unknown;
						try {
							value = JSON.parse(buf);
						} catch {
							throw bad(startLine, 'malformed JSON object', 'JSON 对象格式错误');
						}
						buf = '';
						yield { line: startLine, raw: value as Record<string, unknown> };
					}
				}
				if (buf.length > MAX_ROW_BYTES) throw bad(startLine, `a record is longer than ${MAX_ROW_BYTES} characters`, '单条记录过长');
				if (ch === '\n') line++;
				continue;
			}
			if (ch === '\n') line++;
			if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\ufeff') continue;
			if (mode === 'done') throw bad(line, 'text after the closing ]', '结尾 ] 之后还有内容');
			if (mode === 'unknown' && ch === '[') {
				mode = 'array';
				continue;
			}
			if (mode === 'unknown') mode = 'ndjson';
			if (mode === 'array' && ch === ']') {
				mode = 'done';
				continue;
			}
			if (mode === 'array' && ch === ',' && expectComma) {
				expectComma = false;
				continue;
			}
			if (ch === '{' && !expectComma) {
				capturing = true;
				depth = 1;
				buf = '{';
				startLine = line;
				continue;
			}
			throw bad(
				line,
				mode === 'array' ? 'expected an object {…} or , or ]' : 'each line must be one JSON object',
				mode === 'array' ? '此处应为对象、逗号或 ]' : '每行须为一个 JSON 对象'
			);
		}
	}
	if (capturing) throw bad(startLine, 'the file ends inside an object', '文件在对象中途结束');
	if (mode === 'array') throw bad(line, 'the file ends before the closing ]', '文件缺少结尾 ]');
}

// ── rows → database ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Rows per transaction, staging and applying alike. A batch of 1000 trajectory points is a few ms of SQLite
 * (bench/imports.ts); other requests get the connection / the write lock between batches.
 */
export const IMPORT_BATCH = 1000;
/** Longest stretch of parsing and validation before the import lets other requests run (setImmediate). */
const SLICE_MS = 4;
/** A run whose batches stopped this long ago was left by a crash; the next import discards or finishes it. */
export const ABANDONED_AFTER_MS = 60_000;

/**
 * Validates and stores every row of one file, all or nothing, without holding the database for the whole upload:
 *
 * 1. Staging: valid rows go to `import_staging` (as JSON) in transactions of IMPORT_BATCH rows; nothing in the fact
 *    tables changes. Parsing yields to other requests every SLICE_MS. Any bad row → the staged rows are deleted
 *    (bounded deletes) and ImportFailed is thrown: nothing was imported.
 * 2. Applying (only once every row is valid): the run is marked `applying`, then each transaction moves
 *    IMPORT_BATCH staged rows into the fact tables and deletes them from staging, so each row is applied once.
 * 3. The caller recolours (import-file.ts) only after the last batch, from the returned `affected`.
 *
 * What a failure leaves: during staging, nothing visible (a crash leaves a `staging` run that the next import
 * discards once it is ABANDONED_AFTER_MS old). During applying (a crash or a database error mid-way), a prefix of
 * the file's facts is in the fact tables and the rest is still staged; nobody is recoloured for this import until
 * the next import (any source) finishes the run and recolours everyone both affect. A recolour started by
 * something else meanwhile may see that prefix: facts that were validated and are true, just not all of them yet.
 */
export async function importRows<T>(
	db: Store,
	kind: RecordKind<T>,
	bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	ctx: ParseContext,
	opts: ImportOptions
): Promise<ImportResult> {
	const clock = opts.clock ?? (() => Date.now());
	const started = clock();
	const counter = { bytes: 0 };
	const text = decode(bytes, opts.encoding ?? 'utf-8', opts, counter);
	const rows = opts.format === 'csv' ? csvRows(text, kind.fields, kind.required) : jsonRows(text);
	const errors: RowError[] = [];
	let errorCount = 0;
	let count = 0;
	let lastProgress = started;
	const affected = emptyAffected();
	const every = opts.progressEveryMs ?? 1000;
	const report = () => opts.onProgress?.({ rows: count, bytes: counter.bytes, totalBytes: opts.totalBytes, elapsedMs: clock() - started });

	await finishAbandonedRuns(db, affected, ctx);

	const run: ImportRun = { id: randomUUID(), kind: kind.name, state: 'staging', receivedAt: ctx.nowMs, touchedAt: Date.now() };
	await createImportRun(db, run);
	let staged = 0;
	try {
		let batch: string[] = [];
		const flush = async () => {
			if (errorCount === 0 && batch.length) {
				await stageImportRows(db, run.id, staged, batch, Date.now());
				staged += batch.length;
			}
			batch = [];
		};
		let sliceStart = performance.now();
		for await (const row of rows) {
			count++;
			const raw = row.raw;
			if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
				errorCount++;
				if (errors.length < MAX_REPORTED_ERRORS)
					errors.push({
						line: row.line,
						field: 'record',
						code: 'import/not-object',
						message: 'each record must be an object',
						zh: '每条记录须为对象'
					});
				continue;
			}
			const parsed = kind.parse(raw, ctx);
			if (!parsed.ok) {
				errorCount++;
				for (const issue of parsed.issues) if (errors.length < MAX_REPORTED_ERRORS) errors.push(rowError(row.line, issue));
				continue;
			}
			if (errorCount === 0) {
				batch.push(JSON.stringify(parsed.value));
				if (batch.length >= IMPORT_BATCH) await flush();
			}
			const now = clock();
			if (now - lastProgress >= every) {
				lastProgress = now;
				report();
			}
			if (performance.now() - sliceStart >= SLICE_MS) {
				await yieldToOthers();
				sliceStart = performance.now();
			}
		}
		await flush();
		report();
	} catch (e) {
		await discardRun(db, run.id).catch(() => undefined); // a crash or a lost connection: the next import discards it
		throw e;
	}
	if (errorCount) {
		await discardRun(db, run.id);
		throw new ImportFailed(errors, errorCount, count);
	}
	if (count === 0) {
		await discardRun(db, run.id);
		throw fatal(1, 'file', 'import/empty', 'the file has no records', '文件中没有记录');
	}
	if (opts.beforeCommit) {
		await applyRunAtOnce(db, run.id, kind, ctx, affected, opts.beforeCommit);
		return { rows: count, affected };
	}
	await markImportApplying(db, run.id, Date.now());
	await applyRun(db, run.id, kind, ctx, affected);
	return { rows: count, affected };
}

/** Moves a validated run's staged rows into the fact tables, IMPORT_BATCH per transaction, then drops the run. */
async function applyRun<T>(db: Store, importId: string, kind: RecordKind<T>, ctx: ParseContext, affected: Affected): Promise<void> {
	const receivedAt = ctx.nowMs;
	for (;;) {
		const applied = await transaction(db, async (tx) => {
			const payloads = await takeStagedRows(tx, importId, IMPORT_BATCH, Date.now());
			if (payloads.length === 0) return 0;
			const records = payloads.map((p) => JSON.parse(p) as T);
			await kind.write(tx, records, receivedAt);
			kind.noteAffected(records, affected);
			if (ctx.federation) await queueForFederation(tx, ctx.federation.region, kind.name, records, receivedAt);
			return records.length;
		});
		if (applied === 0) break;
		await yieldToOthers();
	}
	await deleteImportRun(db, importId);
}

/** A preview's apply (ImportOptions.beforeCommit): every staged row in one transaction; the run is dropped either way. */
async function applyRunAtOnce<T>(
	db: Store,
	importId: string,
	kind: RecordKind<T>,
	ctx: ParseContext,
	affected: Affected,
	beforeCommit: (tx: StoreTx, affected: Affected) => Promise<void>
): Promise<void> {
	const receivedAt = ctx.nowMs;
	try {
		await transaction(db, async (tx) => {
			for (;;) {
				const payloads = await takeStagedRows(tx, importId, IMPORT_BATCH, Date.now());
				if (payloads.length === 0) break;
				const records = payloads.map((p) => JSON.parse(p) as T);
				await kind.write(tx, records, receivedAt);
				kind.noteAffected(records, affected);
				if (ctx.federation) await queueForFederation(tx, ctx.federation.region, kind.name, records, receivedAt);
			}
			await beforeCommit(tx, affected);
		});
	} finally {
		await discardRun(db, importId);
	}
}

async function discardRun(db: Store, importId: string): Promise<void> {
	while ((await discardStagedRows(db, importId, IMPORT_BATCH)) > 0) await yieldToOthers();
	await deleteImportRun(db, importId);
}

/**
 * Runs a crash left behind: a `staging` run was never fully validated (discarded); an `applying` run was
 * (finished now; what it affects joins this import's recolour). Claimed one at a time, so two imports starting
 * together never apply the same run twice.
 */
async function finishAbandonedRuns(db: Store, affected: Affected, ctx: ParseContext): Promise<void> {
	for (const run of await abandonedImportRuns(db, Date.now() - ABANDONED_AFTER_MS)) {
		if (!(await claimImportRun(db, run, Date.now()))) continue;
		const kind = isKindName(run.kind) ? (KINDS[run.kind] as RecordKind<unknown>) : undefined;
		if (run.state === 'applying' && kind) await applyRun(db, run.id, kind, { ...ctx, nowMs: run.receivedAt }, affected);
		else await discardRun(db, run.id);
	}
}

function rowError(line: number, i: FieldIssue): RowError {
	return { line, field: i.field, code: i.code, message: i.en, zh: i.zh };
}

/** Problems with the CSV header row (the file's columns), not with its rows. */
export const isHeaderError = (e: RowError): boolean => e.code.endsWith('-column');

/**
 * `line 12: sampledAt: expected an ISO 8601 time…`, or for the header row `header: missing column sampledAt` —
 * the CLI's and the console's one-line form.
 */
export function formatRowError(e: RowError): string {
	if (!isHeaderError(e)) return `line ${e.line}: ${e.field}: ${e.message}`;
	if (e.code === 'import/missing-column') return `header: missing column ${e.field}`;
	if (e.code === 'import/unknown-column') return `header: unknown column ${e.field} (${e.message.replace(/^unknown column \(|\)$/g, '')})`;
	return `header: ${e.message}`;
}
