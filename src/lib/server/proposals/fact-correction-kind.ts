/**
 * The `fact-correction` proposal kind (issue 15, appeals): an officer corrects facts about one person that an
 * import got wrong — a test's result, or a test, case, contact or quarantine record that does not belong to them.
 * Like an import it is under the approval rule by count: previewed (written inside a transaction that is rolled
 * back, then who would change colour is evaluated, as sources/import-preview.ts does), applied at once when it
 * recolours no more than the threshold, else approved by a second officer. Applying writes the change and one
 * append-only fact_corrections row per record (before / after, why, who), then recolours through the normal path
 * (recolour.ts → issuance: new codes, the old ones revoked). A confirmed case removed also re-evaluates the people
 * it made contacts, companions or co-visitors.
 */
import type { IssuerDeps } from '../deps.js';
import type { StaffDecision } from '../issuance/decision.js';
import { DomainError } from '../domain-error.js';
import { transaction, type StoreTx } from '../store/db.js';
import {
	caseConfirmations,
	factRecord,
	insertFactCorrection,
	removeFactRecord,
	setTestResult,
	type CorrectableKind
} from '../store/fact-corrections.js';
import { affectedResidents } from '../recolour/affected.js';
import { invalidateEngine, loadEngine } from '../recolour/engine.js';
import { previewWith, type RecolourPreview } from '../recolour/preview.js';
import { recolour } from '../recolour/recolour.js';

export interface FactChange {
	kind: CorrectableKind;
	id: string;
	/** the record as the officer saw it (the correction is refused if it changed since) */
	before: Record<string, unknown>;
	/** a test's corrected result; absent: the record is removed */
	result?: 'negative' | 'positive';
}

export interface FactCorrectionPayload {
	ref: string;
	idMasked: string;
	/** the appeal this answers (null: corrected from the person lookup) */
	appealId: string | null;
	/** why, in the officer's words (recorded with each correction) */
	why: string;
	/** the proposing officer's username */
	by: string;
	changes: FactChange[];
}

const same = (a: Record<string, unknown> | undefined, b: Record<string, unknown>) =>
	a !== undefined && Object.keys(b).every((k) => a[k] === b[k]);

/** Every record still as the officer saw it; else `correction/stale` (someone or an import changed it). */
export async function checkFactCorrection(
	deps: IssuerDeps,
	p: FactCorrectionPayload,
	db: IssuerDeps['db'] | StoreTx = deps.db
): Promise<void> {
	for (const c of p.changes)
		if (!same(await factRecord(db, c.kind, c.id, p.ref), c.before)) throw new DomainError('correction/stale', { params: { id: c.id } });
}

/** Who the correction may recolour: the person, and when they are (or were) a case, those linked to the case. */
async function refsOf(tx: StoreTx, p: FactCorrectionPayload, nowMs: number): Promise<string[]> {
	const caseish = p.changes.some((c) => c.kind === 'case') || (await caseConfirmations(tx, [p.ref])).size > 0;
	const refs = await affectedResidents(
		tx,
		{ refs: new Set([p.ref]), phones: new Set(), caseRefs: caseish ? new Set([p.ref]) : new Set(), riskAreas: [] },
		nowMs
	);
	return [...refs];
}

async function write(tx: StoreTx, p: FactCorrectionPayload, at: number, proposalId: string | null): Promise<void> {
	for (const c of p.changes) {
		const ok =
			c.kind === 'test' && c.result ? await setTestResult(tx, c.id, p.ref, c.result) : await removeFactRecord(tx, c.kind, c.id, p.ref);
		if (!ok) throw new DomainError('correction/stale', { params: { id: c.id } });
		await insertFactCorrection(tx, {
			ref: p.ref,
			fact_kind: c.kind,
			fact_id: c.id,
			before_json: JSON.stringify(c.before),
			after_json: c.kind === 'test' && c.result ? JSON.stringify({ ...c.before, result: c.result }) : null,
			why: p.why,
			corrected_by: p.by,
			at,
			appeal_id: p.appealId,
			proposal_id: proposalId
		});
	}
}

class Previewed extends Error {
	constructor(readonly preview: RecolourPreview) {
		super('previewed: rolled back');
	}
}

/** What the correction would do to colours: written, evaluated, rolled back. */
export async function previewFactCorrection(deps: IssuerDeps, p: FactCorrectionPayload): Promise<RecolourPreview> {
	const now = deps.clock();
	try {
		await transaction(deps.db, async (tx) => {
			await checkFactCorrection(deps, p, tx);
			const refs = await refsOf(tx, p, now);
			await write(tx, p, now, null);
			throw new Previewed(await previewWith(tx, await loadEngine(tx, now), refs, now));
		});
	} catch (e) {
		if (e instanceof Previewed) return e.preview;
		throw e;
	}
	throw new Error('fact correction preview: committed'); // unreachable: the transaction always throws
}

export async function applyFactCorrection(
	deps: IssuerDeps,
	p: FactCorrectionPayload,
	actor: string,
	staff: StaffDecision
): Promise<{ corrected: number; recoloured: { evaluated: number; changed: number; transitions: Record<string, number> } }> {
	const now = deps.clock();
	const refs = await transaction(deps.db, async (tx) => {
		await checkFactCorrection(deps, p, tx);
		const refs = await refsOf(tx, p, now);
		await write(tx, p, now, staff.proposalId);
		return refs;
	});
	invalidateEngine();
	const r = await recolour(deps, refs, { actor, staff });
	// shaped like an import's result, so the console shows the recolour summary the same way
	return { corrected: p.changes.length, recoloured: { evaluated: r.evaluated, changed: r.changed, transitions: r.transitions } };
}
