/**
 * Off-thread imports: importRows() in a worker thread with its own database connection (import-worker.ts).
 * Parsing, validating and writing a million rows is seconds of CPU; on the server's own thread, even in short
 * transactions, every request queued behind it (each of its queries waiting for the one connection and each turn
 * of the event loop for a slice of the import). In a worker the server's thread only copies the request body's
 * chunks across. SQLite (WAL): the server's reads never wait; its writes wait at most one import batch for the
 * write lock (busy_timeout). PostgreSQL: the worker has its own pool of one connection.
 *
 * The worker runs the TypeScript sources through tsx (bin/ts-worker.js), as the recolour's evaluation workers do
 * (recolour/evaluate-pool.ts). TONGXING_IMPORT_WORKER=0 imports on the main thread.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OpenOptions } from '../store/open.js';
import { ImportFailed, type ImportOptions, type ImportProgress, type ImportResult, type RowError } from './import.js';
import type { KindName, ParseContext } from './kinds.js';
import type { StoredRiskArea } from '../store/risk-areas.js';
import type { RecolourPreview } from '../recolour/preview.js';

export type ToImportWorker = { chunk: Uint8Array } | { end: true } | { abort: string };
export type FromImportWorker =
	| { pull: true }
	| { progress: ImportProgress }
	| {
			done: {
				rows: number;
				affected: { refs: string[]; phones: string[]; caseRefs: string[]; newCaseRefs?: string[]; riskAreas: StoredRiskArea[] };
			};
	  }
	| { previewed: RecolourPreview }
	| { failed: { errors: RowError[]; errorCount: number; rows: number } }
	| { error: { message: string; code?: string } };

const WORKER_MODULE = ['src', 'lib', 'server', 'sources', 'import-worker.ts'];

/** The project folder (bin/ts-worker.js and the worker's source), from this module's location in src/ or build/. */
function projectRoot(): string | null {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (;;) {
		if (existsSync(join(dir, 'bin', 'ts-worker.js')) && existsSync(join(dir, ...WORKER_MODULE))) return dir;
		const up = dirname(dir);
		if (up === dir) return null;
		dir = up;
	}
}

/** True when imports can run in a worker here (the sources are present, and TONGXING_IMPORT_WORKER is not 0). */
export function importWorkerAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
	return env.TONGXING_IMPORT_WORKER !== '0' && projectRoot() !== null;
}

/** importRows() in a worker thread on its own connection to `database`; same results and errors. */
export function importRowsInWorker(
	database: OpenOptions,
	kind: KindName,
	bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	ctx: ParseContext,
	opts: ImportOptions
): Promise<ImportResult> {
	return inWorker(database, kind, bytes, ctx, opts, false) as Promise<ImportResult>;
}

/** import-preview.ts's preview in the worker: the file written in one transaction there, evaluated, rolled back. */
export function previewInWorker(
	database: OpenOptions,
	kind: KindName,
	bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	ctx: ParseContext,
	opts: ImportOptions
): Promise<RecolourPreview> {
	return inWorker(database, kind, bytes, ctx, opts, true) as Promise<RecolourPreview>;
}

async function inWorker(
	database: OpenOptions,
	kind: KindName,
	bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	ctx: ParseContext,
	opts: ImportOptions,
	preview: boolean
): Promise<ImportResult | RecolourPreview> {
	const root = projectRoot();
	if (!root) throw new Error('import worker unavailable: the sources are not next to this build');
	const { onProgress, clock: _clock, beforeCommit: _beforeCommit, ...plain } = opts;
	const worker = new Worker(join(root, 'bin', 'ts-worker.js'), {
		argv: [pathToFileURL(join(root, ...WORKER_MODULE)).href],
		workerData: {
			database: { ...database, pgPoolMax: 1 },
			kind,
			hmacKey: ctx.hmacKey,
			nowMs: ctx.nowMs,
			federation: ctx.federation,
			opts: plain,
			preview
		}
	});
	const source: AsyncIterator<Uint8Array> | Iterator<Uint8Array> =
		Symbol.asyncIterator in bytes ? bytes[Symbol.asyncIterator]() : bytes[Symbol.iterator]();
	try {
		return await new Promise<ImportResult | RecolourPreview>((resolve, reject) => {
			let settled = false;
			let uploadError: Error | undefined;
			const settle = (f: () => void) => {
				if (settled) return;
				settled = true;
				f();
			};
			worker.on('message', (m: FromImportWorker) => {
				if ('pull' in m) {
					Promise.resolve(source.next()).then(
						(next) => worker.postMessage(next.done ? { end: true } : { chunk: next.value }),
						(e: unknown) => {
							// the upload broke: the worker discards what it staged, then reports (answered with this error)
							uploadError = e instanceof Error ? e : new Error(String(e));
							worker.postMessage({ abort: uploadError.message });
						}
					);
				} else if ('progress' in m) onProgress?.(m.progress);
				else if ('done' in m) {
					const a = m.done.affected;
					settle(() =>
						resolve({
							rows: m.done.rows,
							affected: {
								refs: new Set(a.refs),
								phones: new Set(a.phones),
								caseRefs: new Set(a.caseRefs),
								...(a.newCaseRefs ? { newCaseRefs: new Set(a.newCaseRefs) } : {}),
								riskAreas: a.riskAreas
							}
						})
					);
				} else if ('previewed' in m) settle(() => resolve(m.previewed));
				else if ('failed' in m) settle(() => reject(new ImportFailed(m.failed.errors, m.failed.errorCount, m.failed.rows)));
				else if ('error' in m)
					settle(() => reject(uploadError ?? Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {})));
			});
			worker.once('error', (e) => settle(() => reject(e)));
			worker.once('exit', (code) => settle(() => reject(new Error(`the import worker exited (code ${code})`))));
		});
	} finally {
		await worker.terminate();
	}
}
