/**
 * The worker side of an off-thread import (import-thread.ts): opens its own database connection, pulls the file's
 * chunks from the main thread one at a time, and runs importRows() here — parsing, validating and every batch
 * transaction — so the server's event loop and its connection stay free for residents and scanners.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type OpenOptions } from '../store/open.js';
import { ImportFailed, importRows, type ImportOptions } from './import.js';
import { KINDS, type KindName, type ParseContext } from './kinds.js';
import { Previewed, previewBeforeCommit } from './import-preview.js';
import type { FromImportWorker, ToImportWorker } from './import-thread.js';

const IMPORT_NICENESS = 10;

// Niceness is per thread on Linux (setpriority on "this process" = the calling thread): on a busy machine the
// server's own thread, answering residents and scanners, gets the CPU first; the import takes what is left.
try {
	setPriority(IMPORT_NICENESS);
} catch {
	// not permitted here: the import runs at normal priority
}

const data = workerData as {
	database: OpenOptions;
	kind: KindName;
	hmacKey: Uint8Array;
	federation?: ParseContext['federation'];
	nowMs: number;
	opts: ImportOptions;
	preview: boolean;
};
const port = parentPort!;
const post = (m: FromImportWorker) => port.postMessage(m);

let waiting: ((m: ToImportWorker) => void) | null = null;
port.on('message', (m: ToImportWorker) => {
	const w = waiting;
	waiting = null;
	w?.(m);
});

/** The file's bytes, asked for one chunk at a time (the main thread reads the request body only as fast as this). */
async function* chunks(): AsyncGenerator<Uint8Array> {
	for (;;) {
		const m = await new Promise<ToImportWorker>((r) => {
			waiting = r;
			post({ pull: true });
		});
		if ('end' in m) return;
		if ('abort' in m) throw new Error(m.abort);
		yield m.chunk;
	}
}

const opened = await openDatabase(data.database);
try {
	const result = await importRows(
		opened.db,
		KINDS[data.kind],
		chunks(),
		data.federation
			? { hmacKey: data.hmacKey, nowMs: data.nowMs, federation: data.federation }
			: { hmacKey: data.hmacKey, nowMs: data.nowMs },
		{
			...data.opts,
			onProgress: (p) => post({ progress: p }),
			...(data.preview ? { beforeCommit: previewBeforeCommit(data.nowMs) } : {})
		}
	);
	if (data.preview) throw new Error('import preview: the import committed'); // beforeCommit always throws
	const a = result.affected;
	post({
		done: {
			rows: result.rows,
			affected: {
				refs: [...a.refs],
				phones: [...a.phones],
				caseRefs: [...a.caseRefs],
				...(a.newCaseRefs ? { newCaseRefs: [...a.newCaseRefs] } : {}),
				riskAreas: a.riskAreas
			}
		}
	});
} catch (e) {
	if (e instanceof Previewed) post({ previewed: e.preview });
	else if (e instanceof ImportFailed) post({ failed: { errors: e.errors, errorCount: e.errorCount, rows: e.rows } });
	else {
		const code = (e as { code?: unknown }).code;
		post({ error: { message: e instanceof Error ? e.message : String(e), ...(typeof code === 'string' ? { code } : {}) } });
	}
} finally {
	await opened.close();
}
