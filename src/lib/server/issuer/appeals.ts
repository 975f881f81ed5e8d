/**
 * Appeals against a colour: filed by the account holder for themself or a member, listed back to them.
 */
import type { IssuerDeps } from '../deps.js';
import type { AppealOutcome, AppealStatus, AppealsTable } from '../store/schema.js';
import { codeOfPerson } from '../store/codes.js';
import { appealsOfAccount, appealsWithDecidedProposal, insertAppeal, updateAppealIf } from '../store/appeals.js';
import type { Db } from '../store/db.js';
import { personOfAccount } from '../store/people.js';
import { DomainError } from '../domain-error.js';
import { expectObject } from '../expect-object.js';
import { AppealRequestSchema } from '../../core/contract/resident.js';
import { requestKeys } from '../../core/contract/shared.js';
import { newId } from './accounts.js';
import { COLOUR_REASONS } from '../../core/colour-reasons.js';

export interface AppealView {
	id: string;
	personId: string;
	codeId: string | null;
	text: string;
	reason: string | null;
	status: AppealStatus;
	createdAt: number;
	updatedAt: number;
	resolution: string | null;
	/** how it ended (migration 024): fact-corrected | override | rejected; null while open or in review */
	outcome: AppealOutcome | null;
	resolvedAt: number | null;
}

/** An appeal against a colour: the person (self or a member of this account), optionally the code, and why. */
export async function submitAppeal(deps: IssuerDeps, accountId: string, body: unknown): Promise<AppealView> {
	const b = expectObject(body, requestKeys(AppealRequestSchema));
	const text = typeof b.text === 'string' ? b.text.trim() : '';
	const reason = b.reason === undefined || b.reason === null ? null : b.reason;
	const badReason = reason !== null && (typeof reason !== 'string' || !Object.hasOwn(COLOUR_REASONS, reason));
	if (text.length < 5 || text.length > 1000 || typeof b.personId !== 'string' || badReason) {
		throw new DomainError('appeal/invalid', {
			errors: [
				...(typeof b.personId !== 'string'
					? [{ field: 'personId', code: 'appeal/person', message: { 'zh-CN': '请选择申诉人', en: 'choose the person' } }]
					: []),
				...(text.length < 5 || text.length > 1000
					? [{ field: 'text', code: 'appeal/text', message: { 'zh-CN': '请用 5–1000 字说明理由', en: 'explain in 5–1000 characters' } }]
					: []),
				...(badReason
					? [{ field: 'reason', code: 'appeal/reason', message: { 'zh-CN': '请选择要申诉的原因', en: 'choose the reason you contest' } }]
					: [])
			]
		});
	}
	// personId is a string here (checked above); an empty one would mean "self" to personOfAccount.
	const person = b.personId ? await personOfAccount(deps.db, accountId, b.personId) : undefined;
	if (!person) throw new DomainError('appeal/person-not-found');
	const codeId = typeof b.codeId === 'string' ? b.codeId : null;
	if (codeId !== null) {
		if (!(await codeOfPerson(deps.db, codeId, person.id))) throw new DomainError('appeal/code-not-found');
	}
	const now = deps.clock();
	const row = {
		id: newId(),
		person_id: person.id,
		code_id: codeId,
		text,
		reason,
		status: 'open' as const,
		created_at: now,
		updated_at: now,
		resolution: null,
		outcome: null,
		proposal_id: null,
		resolved_by: null,
		resolved_at: null
	};
	await insertAppeal(deps.db, row);
	return view(row);
}

export async function listAppeals(deps: IssuerDeps, accountId: string): Promise<AppealView[]> {
	await settleAppeals(deps.db);
	const rows = await appealsOfAccount(deps.db, accountId);
	return rows.map(view);
}

function view(r: AppealsTable): AppealView {
	return {
		id: r.id,
		personId: r.person_id,
		codeId: r.code_id,
		text: r.text,
		reason: r.reason,
		status: r.status,
		createdAt: r.created_at,
		updatedAt: r.updated_at,
		// the officer's answer once decided: while a second officer has yet to approve it, it is not an answer yet
		resolution: r.status === 'in-review' ? null : r.resolution,
		outcome: r.status === 'in-review' ? null : r.outcome,
		resolvedAt: r.resolved_at
	};
}

/**
 * An appeal whose outcome waits for a second officer (status in-review: a colour override, or a fact correction
 * over the approval threshold) follows its proposal once that is decided: applied → upheld (at the time it took
 * effect); rejected or lapsed → open again, for the officer to decide anew. Run before appeals are read (here and by
 * the console), so nobody sees a stale status; idempotent (each row moves once, from in-review).
 */
export async function settleAppeals(db: Db): Promise<number> {
	let moved = 0;
	for (const a of await appealsWithDecidedProposal(db)) {
		const applied = a.proposal_status === 'applied';
		const at = (applied ? a.applied_at : a.decided_at) ?? a.updated_at;
		const ok = await updateAppealIf(
			db,
			a.id,
			['in-review'],
			applied
				? { status: 'upheld', resolved_at: at, updated_at: at }
				: { status: 'open', outcome: null, proposal_id: null, resolution: null, resolved_by: null, resolved_at: null, updated_at: at }
		);
		if (ok) moved++;
	}
	return moved;
}
