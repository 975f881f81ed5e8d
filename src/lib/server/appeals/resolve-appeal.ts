/**
 * An appeal to an outcome (issue 15). An officer reads the resident's explanation beside the reasons and their
 * facts (person-dossier.ts) and either
 * (a) corrects facts an import got wrong — a `fact-correction` proposal (proposals/fact-correction-kind.ts): applied
 *     at once under the approval threshold, else approved by a second officer; recoloured through the normal path;
 * (b) proposes a colour override with a reason code — the existing `colour-override` kind, always approved by a
 *     second officer (the two-person rule);
 * (c) rejects it with a reason.
 * The appeal records its outcome, the officer, the proposal and the resolution text the resident reads in the app.
 * While a proposal waits it is `in-review`; issuer/appeals.ts settleAppeals moves it once the proposal is decided.
 * Every outcome and every view of an appeal is audited (recordStaffAction: appeal.resolve, appeal.view).
 */
import type { IssuerDeps } from '../deps.js';
import { DomainError, type FieldProblem } from '../domain-error.js';
import { recordStaffAction } from '../audit/record-staff-action.js';
import { appealQueue, appealWithPerson, updateAppealIf, type AppealWithPerson } from '../store/appeals.js';
import { CORRECTABLE_KINDS, factRecord, type CorrectableKind } from '../store/fact-corrections.js';
import type { AppealStatus } from '../store/schema.js';
import { staffById } from '../store/staff.js';
import { settleAppeals } from '../issuer/appeals.js';
import { checkReason, submitAction, type ActionOutcome } from '../proposals/proposals.js';
import type { FactChange } from '../proposals/fact-correction-kind.js';
import { parseIsoTime } from '../../core/iso-time.js';
import { COLOURS, type Colour } from '../../core/claims.js';
import { APPEAL_STATUSES } from '../../core/contract/resident.js';
import type { AppealDetail, AppealOutcomeView, AppealQueue } from '../../core/contract/console-appeals.js';
import { APPEAL_OVERDUE_HOURS, consoleAppeal } from './console-appeal.js';
import { personDossier } from './person-dossier.js';

const problem = (field: string, code: string, en: string, zh: string): FieldProblem => ({ field, code, message: { 'zh-CN': zh, en } });

export async function staffName(deps: IssuerDeps, staffId: string): Promise<string> {
	return (await staffById(deps.db, staffId))?.username ?? staffId;
}

export async function listAppealQueue(deps: IssuerDeps, status: string | null): Promise<AppealQueue> {
	if (status !== null && !(APPEAL_STATUSES as readonly string[]).includes(status))
		throw new DomainError('appeal/invalid', {
			errors: [problem('status', 'field/invalid', `one of ${APPEAL_STATUSES.join(', ')}`, '状态无效')]
		});
	await settleAppeals(deps.db);
	const now = deps.clock();
	const rows = (await appealQueue(deps.db, status as AppealStatus | null, 500)).map((a) => consoleAppeal(a, now));
	const all = status === null ? rows : (await appealQueue(deps.db, null, 500)).map((a) => consoleAppeal(a, now));
	return {
		appeals: rows,
		counts: {
			open: all.filter((a) => a.status === 'open').length,
			inReview: all.filter((a) => a.status === 'in-review').length,
			overdue: all.filter((a) => a.overdue).length
		},
		overdueHours: APPEAL_OVERDUE_HOURS
	};
}

async function appealOf(deps: IssuerDeps, id: string): Promise<AppealWithPerson> {
	await settleAppeals(deps.db);
	const a = await appealWithPerson(deps.db, id);
	if (!a) throw new DomainError('appeal/not-found');
	return a;
}

/** The appeal beside the person's reasons and facts; a read of personal data, audited. */
export async function appealDetail(deps: IssuerDeps, staffId: string, id: string): Promise<AppealDetail> {
	const a = await appealOf(deps, id);
	const now = deps.clock();
	await recordStaffAction(deps.db, {
		actor: await staffName(deps, staffId),
		action: 'appeal.view',
		personHash: a.ref,
		target: a.id,
		purpose: 'appeal handling',
		at: now
	});
	return { appeal: consoleAppeal(a, now), dossier: await personDossier(deps, a.ref) };
}

function text(v: unknown, field: string, min: number, max: number, errors: FieldProblem[]): string {
	const s = typeof v === 'string' ? v.trim() : '';
	if (s.length < min || s.length > max) errors.push(problem(field, 'field/length', `${min}–${max} characters`, `请填写 ${min}–${max} 字`));
	return s;
}

async function openAppeal(deps: IssuerDeps, id: string): Promise<AppealWithPerson> {
	const a = await appealOf(deps, id);
	if (a.status !== 'open') throw new DomainError('appeal/not-open', { params: { status: a.status } });
	return a;
}

/** Records the outcome on the appeal (upheld / in review / rejected) and audits it. */
async function settle(
	deps: IssuerDeps,
	a: AppealWithPerson,
	staffId: string,
	outcome: 'fact-corrected' | 'override' | 'rejected',
	resolution: string,
	action?: ActionOutcome
): Promise<AppealOutcomeView> {
	const now = deps.clock();
	const by = await staffName(deps, staffId);
	const status: AppealStatus = outcome === 'rejected' ? 'rejected' : action?.proposal.status === 'applied' ? 'upheld' : 'in-review';
	const done = status !== 'in-review';
	const ok = await updateAppealIf(deps.db, a.id, ['open'], {
		status,
		outcome,
		proposal_id: action?.proposal.id ?? null,
		resolution,
		resolved_by: by,
		resolved_at: done ? now : null,
		updated_at: now
	});
	if (!ok) throw new DomainError('appeal/not-open', { params: { status: 'changed' } });
	await recordStaffAction(deps.db, {
		actor: by,
		action: 'appeal.resolve',
		personHash: a.ref,
		target: a.id,
		detail: { outcome, status, ...(action ? { proposalId: action.proposal.id, proposalStatus: action.proposal.status } : {}) },
		at: now
	});
	const fresh = (await appealWithPerson(deps.db, a.id))!;
	return { appeal: consoleAppeal(fresh, now), ...(action ? { action } : {}) };
}

/** (a) Correct facts: each change is `remove`, or a test's corrected result. */
export async function correctFactsForAppeal(
	deps: IssuerDeps,
	staffId: string,
	id: string,
	body: { changes?: unknown; why?: unknown; resolution?: unknown; reasonCode?: unknown; note?: unknown }
): Promise<AppealOutcomeView> {
	const a = await openAppeal(deps, id);
	const errors: FieldProblem[] = [];
	const why = text(body.why, 'why', 5, 500, errors);
	const resolution = text(body.resolution, 'resolution', 5, 1000, errors);
	const raw = Array.isArray(body.changes) ? (body.changes as unknown[]) : [];
	if (!raw.length || raw.length > 50)
		errors.push(problem('changes', 'changes/empty', 'choose at least one record to correct', '请至少选择一条要更正的记录'));
	const changes: FactChange[] = [];
	for (const [i, c] of raw.entries()) {
		const o = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
		const kind = (CORRECTABLE_KINDS as readonly string[]).includes(o.kind as string) ? (o.kind as CorrectableKind) : null;
		const act = o.action;
		const okAction = act === 'remove' || (kind === 'test' && (act === 'negative' || act === 'positive'));
		if (!kind || typeof o.id !== 'string' || !okAction) {
			errors.push(
				problem(
					`changes.${i}`,
					'change/invalid',
					'a record and remove, or a test’s corrected result',
					'须选择记录及“删除”或检测结果的更正值'
				)
			);
			continue;
		}
		const before = await factRecord(deps.db, kind, o.id, a.ref);
		if (!before) throw new DomainError('correction/stale', { params: { id: o.id } });
		if (kind === 'test' && act !== 'remove' && before.result === act)
			errors.push(problem(`changes.${i}`, 'change/same', 'the result is already that', '检测结果已是该值'));
		changes.push({ kind, id: o.id, before, ...(act === 'remove' ? {} : { result: act }) });
	}
	if (errors.length) throw new DomainError('appeal/invalid', { errors });
	checkReason({ reasonCode: body.reasonCode, note: body.note });
	const action = await submitAction(
		deps,
		staffId,
		{
			kind: 'fact-correction',
			payload: { ref: a.ref, idMasked: a.id_masked, appealId: a.id, why, by: await staffName(deps, staffId), changes },
			summary: `${a.id_masked}: ${changes.map((c) => `${c.kind} ${c.result ?? 'removed'}`).join(', ')}`
		},
		{ reasonCode: body.reasonCode, note: body.note }
	);
	return settle(deps, a, staffId, 'fact-corrected', resolution, action);
}

/** (b) Propose a colour override (always approved by a second officer). */
export async function overrideForAppeal(
	deps: IssuerDeps,
	staffId: string,
	id: string,
	body: { colour?: unknown; until?: unknown; resolution?: unknown; reasonCode?: unknown; note?: unknown }
): Promise<AppealOutcomeView> {
	const a = await openAppeal(deps, id);
	const now = deps.clock();
	const errors: FieldProblem[] = [];
	const resolution = text(body.resolution, 'resolution', 5, 1000, errors);
	if (!(COLOURS as readonly string[]).includes(body.colour as string))
		errors.push(problem('colour', 'colour/invalid', 'green, yellow or red', '须为绿、黄或红'));
	let until: number | null = null;
	if (body.until !== undefined && body.until !== null && body.until !== '') {
		const t = typeof body.until === 'string' ? parseIsoTime(body.until) : NaN;
		if (Number.isNaN(t)) errors.push(problem('until', 'time/format', 'an ISO 8601 time with a zone', '须为带时区的 ISO 8601 时间'));
		else if (t <= now) errors.push(problem('until', 'time/order', 'must be in the future', '须晚于当前时间'));
		else until = t;
	}
	if (errors.length) throw new DomainError('appeal/invalid', { errors });
	const colour = body.colour as Colour;
	const action = await submitAction(
		deps,
		staffId,
		{ kind: 'colour-override', payload: { ref: a.ref, colour, until, idMasked: a.id_masked }, summary: `${a.id_masked} → ${colour}` },
		{ reasonCode: body.reasonCode, note: body.note }
	);
	return settle(deps, a, staffId, 'override', resolution, action);
}

/** (c) Reject, with the reason the resident reads. */
export async function rejectAppeal(
	deps: IssuerDeps,
	staffId: string,
	id: string,
	body: { resolution?: unknown }
): Promise<AppealOutcomeView> {
	const a = await openAppeal(deps, id);
	const errors: FieldProblem[] = [];
	const resolution = text(body.resolution, 'resolution', 5, 1000, errors);
	if (errors.length) throw new DomainError('appeal/invalid', { errors });
	return settle(deps, a, staffId, 'rejected', resolution);
}
