/**
 * An appeal as the console shows it: masked identity only, and whether it is past the service level (still to
 * handle 24 hours after it was filed).
 */
import type { AppealWithPerson } from '../store/appeals.js';
import type { ConsoleAppeal } from '../../core/contract/console-appeals.js';

/** The service level: an appeal not handled within this many hours is highlighted. */
export const APPEAL_OVERDUE_HOURS = 24;

export const shortRef = (ref: string) => ref.slice(0, 10);

export function consoleAppeal(a: AppealWithPerson, nowMs: number): ConsoleAppeal {
	const pending = a.status === 'open' || a.status === 'in-review';
	return {
		id: a.id,
		person: { ref: shortRef(a.ref), nameMasked: a.name_masked, idMasked: a.id_masked, region: a.region },
		text: a.text,
		reason: a.reason,
		status: a.status,
		outcome: a.outcome,
		resolution: a.resolution,
		proposalId: a.proposal_id,
		resolvedBy: a.resolved_by,
		resolvedAt: a.resolved_at,
		createdAt: a.created_at,
		updatedAt: a.updated_at,
		overdue: pending && nowMs - a.created_at > APPEAL_OVERDUE_HOURS * 3_600_000
	};
}
