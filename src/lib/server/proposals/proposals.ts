/**
 * No one changes colours alone (issue 13). Every staff action that changes residents' colours comes here, once:
 * `submitAction` validates its reason code, previews it (kinds.ts → recolour/preview.ts) and
 * - applies it at once when it recolours no more than the approval threshold (deps.config.approvalThreshold,
 *   TONGXING_APPROVAL_THRESHOLD, default 100) and is not a manual decision about a person — still recorded as a
 *   proposal `applied` with its reason code and audited;
 * - otherwise stores it as a `pending` proposal (payload, preview, reason, proposer) that takes effect only when a
 *   second staff member approves it (`approveProposal`: the proposer cannot — `proposal/own`). Approval re-checks
 *   and re-computes the preview; if the counts moved, the new ones are stored and the approver must look again
 *   (`proposal/preview-changed`). It then applies through the normal path (recolour → issuance pipeline).
 * - an urgent risk area over the threshold takes effect at once but stays `pending` with a deadline; unapproved
 *   by then it lapses (lapse.ts): the area is withdrawn (its window emptied) and its residents re-evaluated without it.
 * Every step is a row in the append-only proposal_events (actor, reason code); every colour change carries the
 * proposal id and reason code into the residents' history (colour_events).
 */
import { randomBytes } from 'node:crypto';
import type { IssuerDeps } from '../deps.js';
import { DomainError } from '../domain-error.js';
import { transaction } from '../store/db.js';
import {
	insertProposal,
	insertProposalEvent,
	latestProposals,
	proposalById,
	proposalEvents,
	updateProposalIf,
	type ProposalRow,
	type ProposalSummaryRow
} from '../store/proposals.js';
import { livePeopleByIdHmac } from '../store/people.js';
import { staffById } from '../store/staff.js';
import type { RecolourPreview } from '../recolour/preview.js';
import { toBase64Url } from '../../core/bytes.js';
import { reasonProblem, type StaffReasonCode } from '../../core/staff-reasons.js';
import type { ProposalStatus, ProposalView, PreviewView } from '../../core/contract/proposals.js';
import { KINDS, specOf, type Payloads, type ProposalKind } from './kinds.js';

export const DEFAULT_APPROVAL_THRESHOLD = 100;
export const DEFAULT_URGENT_APPROVAL_HOURS = 4;

export const thresholdOf = (deps: IssuerDeps) => deps.config.approvalThreshold ?? DEFAULT_APPROVAL_THRESHOLD;
export const urgentHoursOf = (deps: IssuerDeps) => deps.config.urgentApprovalHours ?? DEFAULT_URGENT_APPROVAL_HOURS;

export interface StaffReason {
	reasonCode: unknown;
	note?: unknown;
}

/** A checked reason code and note (`proposal/reason` with the field that is wrong). */
export function checkReason(r: StaffReason): { reasonCode: StaffReasonCode; note: string | null } {
	const problem = reasonProblem(r.reasonCode, r.note);
	if (problem) {
		const field = problem === 'unknown' ? 'reasonCode' : 'note';
		const message = {
			unknown: { 'zh-CN': '请从列表中选择理由代码', en: 'choose a reason code from the list' },
			'note-required': { 'zh-CN': '选择“其他”时须填写说明', en: '“other” needs a note' },
			'note-too-long': { 'zh-CN': '说明过长', en: 'the note is too long' }
		}[problem];
		throw new DomainError('proposal/reason', { errors: [{ field, code: `reason/${problem}`, message }] });
	}
	const note = typeof r.note === 'string' && r.note.trim() ? r.note.trim() : null;
	return { reasonCode: r.reasonCode as StaffReasonCode, note };
}

export interface ActionOutcome {
	proposal: ProposalView;
	/** what applying returned (counts), when it took effect now */
	result?: unknown;
}

const actorOf = (staffId: string) => `staff/${staffId}`;

/**
 * The one entry for a colour-changing staff action (routes and services call this, never the apply functions).
 * `summary`: one line without personal data for the list.
 */
export async function submitAction<K extends ProposalKind>(
	deps: IssuerDeps,
	staffId: string,
	action: { kind: K; payload: Payloads[K]; summary: string; urgent?: boolean },
	reason: StaffReason
): Promise<ActionOutcome> {
	const { reasonCode, note } = checkReason(reason);
	const spec = KINDS[action.kind];
	await spec.check(deps, action.payload);
	const preview = await spec.preview(deps, action.payload);
	const now = deps.clock();
	const id = toBase64Url(randomBytes(9));
	const needsApproval = spec.always || preview.changed > thresholdOf(deps);
	const urgent = needsApproval && action.urgent === true && spec.undo !== undefined;
	const row: ProposalRow = {
		id,
		kind: action.kind,
		status: 'pending',
		payload_json: JSON.stringify(action.payload),
		preview_json: JSON.stringify(await maskPreview(deps, preview)),
		summary: action.summary,
		reason_code: reasonCode,
		note,
		urgent: urgent ? 1 : 0,
		proposed_by: staffId,
		proposed_at: now,
		decided_by: null,
		decided_at: null,
		deadline_at: urgent ? now + urgentHoursOf(deps) * 3_600_000 : null,
		applied_at: null,
		result_json: null
	};
	const proposed = { changed: preview.changed, urgent };
	if (!needsApproval) {
		// under the threshold: done now, then recorded as applied with its reason (a failure records nothing: it did not happen)
		const result = await spec.apply(deps, action.payload, actorOf(staffId), { proposalId: id, reasonCode });
		const at = deps.clock();
		await transaction(deps.db, async (tx) => {
			await insertProposal(tx, {
				...row,
				status: 'applied',
				payload_json: JSON.stringify(spec.stored?.(action.payload) ?? action.payload),
				applied_at: at,
				result_json: JSON.stringify(result ?? null)
			});
			await event(tx, id, now, 'proposed', actorOf(staffId), reasonCode, note, proposed);
			await event(tx, id, at, 'applied', actorOf(staffId), reasonCode, note, null);
		});
		return { proposal: await view(deps, (await proposalById(deps.db, id))!, staffId), result };
	}
	await transaction(deps.db, async (tx) => {
		await insertProposal(tx, row);
		await event(tx, id, now, 'proposed', actorOf(staffId), reasonCode, note, proposed);
	});
	if (!urgent) return { proposal: await view(deps, (await proposalById(deps.db, id))!, staffId) };
	// urgent: in effect now, still pending until approved, rejected or lapsed (lapse.ts)
	const result = await spec.apply(deps, action.payload, actorOf(staffId), { proposalId: id, reasonCode });
	const at = deps.clock();
	await transaction(deps.db, async (tx) => {
		await updateProposalIf(tx, id, 'pending', { applied_at: at, result_json: JSON.stringify(result ?? null) });
		await event(tx, id, at, 'applied', actorOf(staffId), reasonCode, note, { urgent });
	});
	return { proposal: await view(deps, (await proposalById(deps.db, id))!, staffId), result };
}

/** Approve: a second staff member; re-checked, preview re-computed, then applied through the normal path. */
export async function approveProposal(deps: IssuerDeps, id: string, staffId: string): Promise<ActionOutcome> {
	const row = await pendingProposal(deps, id);
	if (row.proposed_by === staffId) throw new DomainError('proposal/own');
	const spec = specOf(row.kind);
	const payload = JSON.parse(row.payload_json) as unknown;
	// an urgent action already in effect is only confirmed; anything else is re-checked and applied now
	const inEffect = row.urgent === 1 && row.applied_at !== null;
	if (!inEffect) {
		await spec.check(deps, payload);
		const fresh = JSON.stringify(await maskPreview(deps, await spec.preview(deps, payload)));
		if (!samePreview(fresh, row.preview_json)) {
			await updateProposalIf(deps.db, id, 'pending', { preview_json: fresh });
			throw new DomainError('proposal/preview-changed');
		}
	}
	const now = deps.clock();
	await transaction(deps.db, async (tx) => {
		if (!(await updateProposalIf(tx, id, 'pending', { status: 'approved', decided_by: staffId, decided_at: now })))
			throw new DomainError('proposal/not-pending');
		await event(tx, id, now, 'approved', actorOf(staffId), row.reason_code, null, null);
	});
	if (inEffect) {
		// already in effect since it was proposed
		await updateProposalIf(deps.db, id, 'approved', { status: 'applied' });
		return { proposal: await view(deps, (await proposalById(deps.db, id))!, staffId) };
	}
	const result = await spec.apply(deps, payload, actorOf(row.proposed_by), { proposalId: id, reasonCode: row.reason_code });
	const at = deps.clock();
	await transaction(deps.db, async (tx) => {
		await updateProposalIf(tx, id, 'approved', {
			status: 'applied',
			applied_at: at,
			result_json: JSON.stringify(result ?? null),
			payload_json: JSON.stringify(spec.stored?.(payload) ?? payload)
		});
		await event(tx, id, at, 'applied', actorOf(staffId), row.reason_code, null, null);
	});
	return { proposal: await view(deps, (await proposalById(deps.db, id))!, staffId), result };
}

/** Reject (any staff member, the proposer included: withdrawing one's own). An urgent one in effect is undone. */
export async function rejectProposal(
	deps: IssuerDeps,
	id: string,
	staffId: string,
	reason: { note?: unknown } = {}
): Promise<ActionOutcome> {
	const row = await pendingProposal(deps, id);
	const note = typeof reason.note === 'string' && reason.note.trim() ? reason.note.trim().slice(0, 500) : null;
	const now = deps.clock();
	await transaction(deps.db, async (tx) => {
		if (!(await updateProposalIf(tx, id, 'pending', { status: 'rejected', decided_by: staffId, decided_at: now })))
			throw new DomainError('proposal/not-pending');
		await event(tx, id, now, 'rejected', actorOf(staffId), row.reason_code, note, null);
	});
	if (row.urgent && row.applied_at !== null) await undo(deps, row, actorOf(staffId));
	return { proposal: await view(deps, (await proposalById(deps.db, id))!, staffId) };
}

/** Undoes an urgent action in effect (rejection, lapse): the normal path re-evaluates its residents without it. */
export async function undo(deps: IssuerDeps, row: ProposalRow, actor: string): Promise<unknown> {
	return specOf(row.kind).undo?.(deps, JSON.parse(row.payload_json) as unknown, actor);
}

async function pendingProposal(deps: IssuerDeps, id: string): Promise<ProposalRow> {
	const row = await proposalById(deps.db, id);
	if (!row) throw new DomainError('proposal/not-found');
	if (row.status !== 'pending') throw new DomainError('proposal/not-pending');
	return row;
}

export async function event(
	tx: Parameters<typeof insertProposalEvent>[0],
	proposalId: string,
	at: number,
	action: string,
	actor: string,
	reasonCode: string,
	note: string | null,
	detail: unknown
): Promise<void> {
	await insertProposalEvent(tx, {
		proposal_id: proposalId,
		at,
		action,
		actor,
		reason_code: reasonCode,
		note,
		detail_json: detail === null ? null : JSON.stringify(detail)
	});
}

/** The preview as stored and shown: counts, and the sample as a hashed-id prefix and the masked name (if an account holds one). */
export async function maskPreview(deps: IssuerDeps, p: RecolourPreview): Promise<PreviewView> {
	const people = new Map(
		(
			await livePeopleByIdHmac(
				deps.db,
				p.samples.map((s) => s.ref)
			)
		).map((x) => [x.id_hmac, x.name_masked])
	);
	return {
		evaluated: p.evaluated,
		changed: p.changed,
		transitions: p.transitions,
		samples: p.samples.map((s) => ({ id: s.ref.slice(0, 10), name: people.get(s.ref) ?? null, from: s.from, to: s.to }))
	};
}

function samePreview(a: string, b: string): boolean {
	const x = JSON.parse(a) as PreviewView;
	const y = JSON.parse(b) as PreviewView;
	return x.changed === y.changed && JSON.stringify(sorted(x.transitions)) === JSON.stringify(sorted(y.transitions));
}
const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** A staff member's username (also once disabled: the audit keeps naming them). */
async function username(deps: IssuerDeps, id: string | null): Promise<string | null> {
	if (id === null) return null;
	return (await staffById(deps.db, id))?.username ?? id;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function view(deps: IssuerDeps, row: ProposalSummaryRow, viewerId: string): Promise<ProposalView> {
	return {
		id: row.id,
		kind: row.kind,
		status: row.status as ProposalStatus,
		summary: row.summary,
		reasonCode: row.reason_code,
		note: row.note,
		urgent: row.urgent === 1,
		proposedBy: (await username(deps, row.proposed_by))!,
		proposedAt: iso(row.proposed_at)!,
		decidedBy: await username(deps, row.decided_by),
		decidedAt: iso(row.decided_at),
		deadlineAt: iso(row.deadline_at),
		appliedAt: iso(row.applied_at),
		preview: JSON.parse(row.preview_json) as PreviewView,
		result: row.result_json === null ? null : (JSON.parse(row.result_json) as unknown),
		ownProposal: row.proposed_by === viewerId,
		canApprove: row.status === 'pending' && row.proposed_by !== viewerId
	};
}

export async function listProposals(deps: IssuerDeps, viewerId: string, status?: string): Promise<ProposalView[]> {
	const rows = await latestProposals(deps.db, 200, status);
	return Promise.all(rows.map((r) => view(deps, r, viewerId)));
}

export async function getProposal(deps: IssuerDeps, id: string, viewerId: string) {
	const row = await proposalById(deps.db, id);
	if (!row) throw new DomainError('proposal/not-found');
	const events = await proposalEvents(deps.db, id);
	return {
		proposal: await view(deps, row, viewerId),
		events: await Promise.all(
			events.map(async (e) => ({
				at: new Date(e.at).toISOString(),
				action: e.action,
				actor: e.actor.startsWith('staff/') ? ((await username(deps, e.actor.slice(6))) ?? e.actor) : e.actor,
				reasonCode: e.reason_code,
				note: e.note
			}))
		)
	};
}
