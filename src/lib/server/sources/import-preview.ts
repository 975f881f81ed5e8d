/**
 * What an import would do to colours, before anything is kept: the file is validated and written exactly as the
 * import writes it (import.ts), and inside that transaction — just before it would commit — the residents the
 * rows may affect (recolour/affected.ts) are evaluated with the engine over the facts as they would then be
 * (recolour/preview.ts); then the transaction is rolled back. Bad rows fail as the import fails (ImportFailed).
 *
 * The server previews in the import worker (import-thread.ts), on the worker's own connection: the preview's one
 * transaction over the whole file would otherwise hold the server's thread and connection for its duration (a
 * 1 000 000-row console upload stalled /me/codes for 14 s before this moved, `BENCH_ONLY=imports npm run bench`).
 */
import type { IssuerDeps } from '../issuer/deps.js';
import { affectedResidents } from '../recolour/affected.js';
import { loadEngine } from '../recolour/engine.js';
import { previewWith, type RecolourPreview } from '../recolour/preview.js';
import type { StoreTx } from '../store/db.js';
import { importRows, type ImportEncoding, type ImportFormat } from './import.js';
import { previewInWorker, importWorkerAvailable } from './import-thread.js';
import { KINDS, type Affected, type KindName } from './kinds.js';

/** Thrown from beforeCommit to roll the file back, carrying what it would have done. */
export class Previewed extends Error {
	constructor(readonly preview: RecolourPreview) {
		super('previewed: rolled back');
	}
}

/** ImportOptions.beforeCommit for a preview: evaluates who the written rows affect, then rolls everything back. */
export function previewBeforeCommit(nowMs: number): (tx: StoreTx, affected: Affected) => Promise<void> {
	return async (tx, affected) => {
		const refs = await affectedResidents(tx, affected, nowMs);
		throw new Previewed(await previewWith(tx, await loadEngine(tx, nowMs), [...refs], nowMs));
	};
}

export async function previewImport(
	deps: IssuerDeps,
	kind: KindName,
	data: Uint8Array,
	opts: { format: ImportFormat; encoding: ImportEncoding }
): Promise<RecolourPreview> {
	const nowMs = deps.clock();
	const ctx = { hmacKey: deps.hmacKey, nowMs };
	if (deps.databaseOptions && importWorkerAvailable()) return previewInWorker(deps.databaseOptions, kind, [data], ctx, opts);
	try {
		await importRows(deps.db, KINDS[kind], [data], ctx, { ...opts, beforeCommit: previewBeforeCommit(nowMs) });
	} catch (e) {
		if (e instanceof Previewed) return e.preview;
		throw e;
	}
	throw new Error('import preview: the import committed'); // unreachable: beforeCommit always throws
}
