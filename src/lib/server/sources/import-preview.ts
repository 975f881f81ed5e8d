/**
 * What an import would do to colours, before anything is kept: the file is validated and written exactly as the
 * import writes it (import.ts), and inside that transaction — just before it would commit — the residents the
 * rows may affect (recolour/affected.ts) are evaluated with the engine over the facts as they would then be
 * (recolour/preview.ts); then the transaction is rolled back. Bad rows fail as the import fails (ImportFailed).
 */
import type { IssuerDeps } from '../issuer/deps.js';
import { affectedResidents } from '../recolour/affected.js';
import { loadEngine } from '../recolour/engine.js';
import { previewWith, type RecolourPreview } from '../recolour/preview.js';
import { importRows, type ImportEncoding, type ImportFormat } from './import.js';
import { KINDS, type KindName } from './kinds.js';

class Previewed extends Error {
	constructor(readonly preview: RecolourPreview) {
		super('previewed: rolled back');
	}
}

export async function previewImport(
	deps: IssuerDeps,
	kind: KindName,
	data: Uint8Array,
	opts: { format: ImportFormat; encoding: ImportEncoding }
): Promise<RecolourPreview> {
	const nowMs = deps.clock();
	try {
		await importRows(
			deps.db,
			KINDS[kind],
			[data],
			{ hmacKey: deps.hmacKey, nowMs },
			{
				...opts,
				beforeCommit: async (tx, affected) => {
					const refs = await affectedResidents(tx, affected, nowMs);
					throw new Previewed(await previewWith(tx, await loadEngine(tx, nowMs), [...refs], nowMs));
				}
			}
		);
	} catch (e) {
		if (e instanceof Previewed) return e.preview;
		throw e;
	}
	throw new Error('import preview: the import committed'); // unreachable: beforeCommit always throws
}
