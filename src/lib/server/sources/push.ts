/**
 * The push API (`POST /api/v1/sources/{source}/{kind}`, the source's API key as bearer): `{"records": [...]}`
 * validated by the same per-kind validators as the file import (kinds.ts). All or nothing: any invalid record
 * → 422 listing each bad record by index and field, and nothing is written. After the write, the residents the
 * records affect are recoloured (recolour.ts), attributed to the source key.
 */
import { DomainError, type FieldProblem } from '../domain-error.js';
import type { StaffDecision } from '../issuance/decision.js';
import { transaction } from '../store/db.js';
import { importDeltas } from './import-deltas.js';
import { addOverviewDeltas } from '../store/overview.js';
import type { IssuerDeps } from '../issuer/deps.js';
import { affectedPlan } from '../recolour/affected.js';
import { invalidateEngine } from '../recolour/engine.js';
import { recolourPlan, type RecolourResult } from '../recolour/recolour.js';
import { PUSH_KINDS } from '../../core/contract/import-kinds.js';
import { MAX_PUSH_RECORDS } from '../../core/contract/sources.js';
import { queueForFederation } from '../federation/outbox.js';
import { KINDS, emptyAffected, isKindName, parseContextOf, type Affected, type KindName, type Source } from './kinds.js';

export { MAX_PUSH_RECORDS };

/** Which kinds each source may push: in the contract (core/contract/import-kinds.ts), shared with the console. */
export { PUSH_KINDS };

function records(body: unknown): unknown[] {
	const recs = (body as { records?: unknown } | null)?.records;
	if (typeof body !== 'object' || body === null || !Array.isArray(recs) || Object.keys(body).some((k) => k !== 'records')) {
		throw new DomainError('source/shape');
	}
	if (recs.length > MAX_PUSH_RECORDS) throw new DomainError('source/too-many', { params: { max: MAX_PUSH_RECORDS } });
	return recs;
}

export function pushKind(source: Source, kind: string): KindName {
	if (!isKindName(kind) || !PUSH_KINDS[source].includes(kind)) {
		throw new DomainError('source/unknown-kind', { detail: `The ${source} source pushes ${PUSH_KINDS[source].join(', ')}` });
	}
	return kind;
}

/** Validates and stores one push; returns the stored count and what it may affect (no recolouring). */
export async function storeRecords(deps: IssuerDeps, kindName: KindName, body: unknown): Promise<{ accepted: number; affected: Affected }> {
	const kind = KINDS[kindName];
	const now = deps.clock();
	const ctx = parseContextOf(deps, now);
	const errors: FieldProblem[] = [];
	const rows: unknown[] = [];
	records(body).forEach((r, i) => {
		if (typeof r !== 'object' || r === null || Array.isArray(r)) {
			errors.push({
				field: `records.${i}`,
				code: 'record/not-object',
				message: { 'zh-CN': '记录须为对象', en: 'each record must be an object' }
			});
			return;
		}
		const p = kind.parse(r as Record<string, unknown>, ctx);
		if (p.ok) rows.push(p.value);
		else for (const x of p.issues) errors.push({ field: `records.${i}.${x.field}`, code: x.code, message: { 'zh-CN': x.zh, en: x.en } });
	});
	if (errors.length) throw new DomainError('source/invalid-records', { errors });
	const affected = emptyAffected();
	await transaction(deps.db, async (tx) => {
		await kind.write(tx, rows, now);
		kind.noteAffected(rows, affected);
		await addOverviewDeltas(tx, importDeltas(kindName, rows.length, now));
		// facts about people whose home is another region: queued for it in the same transaction (federation/outbox.ts)
		if (ctx.federation) await queueForFederation(tx, ctx.federation.region, kindName, rows, now);
	});
	return { accepted: rows.length, affected };
}

/** Recolours whoever `affected` reaches; the actor goes into every audit entry. */
export async function recolourAffected(
	deps: IssuerDeps,
	affected: Affected,
	actor: string,
	onProgress?: (done: number, total: number) => void,
	staff?: StaffDecision
): Promise<RecolourResult> {
	invalidateEngine();
	const plan = await affectedPlan(deps.db, affected, deps.clock());
	return recolourPlan(deps, plan, { actor, ...(onProgress ? { onProgress } : {}), ...(staff ? { staff } : {}) });
}

export async function pushRecords(
	deps: IssuerDeps,
	kindName: KindName,
	body: unknown,
	actor: string
): Promise<{ accepted: number; recoloured: { evaluated: number; changed: number } }> {
	const { accepted, affected } = await storeRecords(deps, kindName, body);
	const r = await recolourAffected(deps, affected, actor);
	return { accepted, recoloured: { evaluated: r.evaluated, changed: r.changed } };
}
