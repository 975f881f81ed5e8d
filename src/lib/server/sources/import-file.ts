/**
 * One import, as the CLI (`tongxing import`) and the console upload run it: check the source may deliver the
 * kind, stream + validate + store the file all or nothing (import.ts), then recolour whoever it affects.
 */
import type { StaffDecision } from '../issuance/decision.js';
import type { IssuerDeps } from '../issuer/deps.js';
import type { RecolourResult } from '../recolour/recolour.js';
import { importRows, type ImportOptions } from './import.js';
import { importRowsInWorker, importWorkerAvailable } from './import-thread.js';
import { KINDS, isKindName, parseContextOf, type KindName, type Source } from './kinds.js';
import { IMPORT_KINDS } from '../../core/contract/import-kinds.js';
import { recolourAffected } from './push.js';
import { importDeltas } from './import-deltas.js';
import { addOverviewDeltas } from '../store/overview.js';

/** What each source may import: in the contract (core/contract/import-kinds.ts), shared with the console's form. */
export { IMPORT_KINDS };

export class ImportUsage extends Error {
	override readonly name = 'ImportUsage';
}

export function importKind(source: Source, kind: string | undefined): KindName {
	const allowed = IMPORT_KINDS[source];
	if (kind === undefined) throw new ImportUsage(`--kind is required: ${source} imports ${allowed.join(', ')}`);
	if (!isKindName(kind) || !allowed.includes(kind)) throw new ImportUsage(`${source} imports ${allowed.join(', ')}, not ${kind}`);
	return kind;
}

export async function importFile(
	deps: IssuerDeps,
	kind: KindName,
	bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	opts: ImportOptions,
	actor: string,
	onRecolour?: (done: number, total: number) => void,
	staff?: StaffDecision
): Promise<{ rows: number; recoloured: RecolourResult }> {
	const ctx = parseContextOf(deps, deps.clock());
	// the server's imports run off its thread, on their own connection (import-thread.ts)
	const { rows, affected } =
		deps.databaseOptions && importWorkerAvailable()
			? await importRowsInWorker(deps.databaseOptions, kind, bytes, ctx, opts)
			: await importRows(deps.db, KINDS[kind], bytes, ctx, opts);
	// the rows are stored (all or nothing); the overview counts the import now, before the recolouring
	await addOverviewDeltas(deps.db, importDeltas(kind, rows, ctx.nowMs));
	const recoloured = await recolourAffected(deps, affected, actor, onRecolour, staff);
	return { rows, recoloured };
}
