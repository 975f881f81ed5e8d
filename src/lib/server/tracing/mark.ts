/**
 * Marking a traced case's co-visitors as close or secondary contacts in one action (issue 15): a colour-changing
 * staff action, so it goes through proposals/ — applied at once when it recolours no more than the approval
 * threshold, else a proposal a second staff member approves — and, applied, through the normal recolour path
 * (recolour/contacts.ts: contact facts, then the rules and the one issuance pipeline). Audited as `tracing.mark`.
 */
import type { IssuerDeps } from '../deps.js';
import { DomainError, type FieldProblem } from '../domain-error.js';
import { recordStaffAction } from '../audit/record-staff-action.js';
import { submitAction, type ActionOutcome, type StaffReason } from '../proposals/proposals.js';
import { staffUsername } from '../staff/staff.js';
import { parseIsoTime } from '../../core/iso-time.js';
import { CONTACT_KINDS, TRACING_MAX_MARK, type ContactKindName } from '../../core/contract/tracing.js';
import { caseOrThrow } from './trace.js';

export interface MarkRequest extends StaffReason {
	caseId: unknown;
	kind: unknown;
	people: unknown;
}

/** How far back an exposure may be dated: the facts the rules load (recolour/load-facts.ts) reach 15 days. */
const MAX_EXPOSURE_AGE_MS = 30 * 86_400_000;
/** How far ahead of the server's clock an exposure may be dated (a browser's clock): taken as now. */
const CLOCK_SKEW_MS = 5 * 60_000;
const REF = /^[A-Za-z0-9_-]{8,128}$/;

const problem = (field: string, code: string, en: string, zh: string): FieldProblem => ({ field, code, message: { 'zh-CN': zh, en } });

export async function markContacts(deps: IssuerDeps, staffId: string, req: MarkRequest): Promise<ActionOutcome> {
	const now = deps.clock();
	const errors: FieldProblem[] = [];
	if (!(CONTACT_KINDS as readonly unknown[]).includes(req.kind))
		errors.push(problem('kind', 'contact/kind', 'close or secondary', '须为密切接触者或次密切接触者'));
	const people = new Map<string, number>();
	if (!Array.isArray(req.people) || req.people.length === 0)
		errors.push(problem('people', 'people/required', 'select at least one person', '请至少选择一人'));
	else if (req.people.length > TRACING_MAX_MARK)
		errors.push(problem('people', 'people/too-many', `at most ${TRACING_MAX_MARK} people at once`, `一次最多 ${TRACING_MAX_MARK} 人`));
	else
		(req.people as unknown[]).forEach((p, i) => {
			const x = (typeof p === 'object' && p !== null ? p : {}) as { ref?: unknown; exposedAt?: unknown };
			if (typeof x.ref !== 'string' || !REF.test(x.ref))
				return errors.push(problem(`people.${i}.ref`, 'ref/format', 'not a person reference', '人员标识无效'));
			const at = typeof x.exposedAt === 'string' ? parseIsoTime(x.exposedAt) : NaN;
			if (Number.isNaN(at))
				return errors.push(problem(`people.${i}.exposedAt`, 'time/format', 'an ISO 8601 time with a zone', '须为带时区的 ISO 8601 时间'));
			if (at > now + CLOCK_SKEW_MS || at < now - MAX_EXPOSURE_AGE_MS)
				return errors.push(problem(`people.${i}.exposedAt`, 'time/range', 'within the last 30 days', '须在最近 30 天内'));
			// a browser clock a little ahead (the page dates the exposure from its own clock at most): now
			people.set(x.ref, Math.max(people.get(x.ref) ?? 0, Math.min(at, now)));
		});
	if (errors.length) throw new DomainError('tracing/invalid', { errors });
	const row = await caseOrThrow(deps, req.caseId);
	people.delete(row.ref);
	if (!people.size)
		throw new DomainError('tracing/invalid', {
			errors: [problem('people', 'people/required', 'select at least one person', '请至少选择一人')]
		});
	const kind = req.kind as ContactKindName;
	const out = await submitAction(
		deps,
		staffId,
		{
			kind: 'contacts',
			payload: { caseId: row.id, caseRef: row.ref, kind, people: [...people].map(([ref, exposedAt]) => ({ ref, exposedAt })) },
			summary: `${people.size} × ${kind} contact of case ${row.id}`
		},
		req
	);
	await recordStaffAction(deps.db, {
		actor: (await staffUsername(deps.db, staffId)) ?? `staff/${staffId}`,
		action: 'tracing.mark',
		personHash: row.ref,
		target: out.proposal.id,
		detail: { caseId: row.id, kind, people: people.size, status: out.proposal.status },
		at: deps.clock()
	});
	return out;
}
