/**
 * Urgent risk areas take effect at once but must be approved within TONGXING_URGENT_APPROVAL_HOURS: one still
 * pending at its deadline lapses — marked `lapsed` (audited, actor system/lapse), the area withdrawn as if it never applied (its window emptied) and the residents
 * it applied to re-evaluated without it through the normal path (recolour → issuance pipeline). No request from
 * anyone is needed: the server runs lapseOverdue every minute (scheduleLapse, started with the colour review in
 * hooks.server.ts, the same single-runner claim in rate_limits), with deps.clock so tests move time forward.
 */
import type { IssuerDeps } from '../deps.js';
import { transaction } from '../store/db.js';
import { scheduleJob } from '../jobs/schedule-job.js';
import { overdueUrgentProposals, updateProposalIf } from '../store/proposals.js';
import { event, undo } from './proposals.js';

export const LAPSE_ACTOR = 'system/lapse';
export const LAPSE_INTERVAL_MS = 60_000;

/** Lapses every urgent proposal past its deadline; returns their ids. */
export async function lapseOverdue(deps: IssuerDeps): Promise<string[]> {
	const lapsed: string[] = [];
	for (const row of await overdueUrgentProposals(deps.db, deps.clock(), 100)) {
		const now = deps.clock();
		const won = await transaction(deps.db, async (tx) => {
			if (!(await updateProposalIf(tx, row.id, 'pending', { status: 'lapsed', decided_at: now }))) return false;
			await event(tx, row.id, now, 'lapsed', LAPSE_ACTOR, row.reason_code, null, { deadlineAt: row.deadline_at });
			return true;
		});
		if (!won) continue;
		if (row.applied_at !== null) await undo(deps, row, LAPSE_ACTOR);
		lapsed.push(row.id);
	}
	return lapsed;
}

/** Runs lapseOverdue every `intervalMs` (jobs/schedule-job.ts: no overlap, one instance per window). Returns a stop function. */
export function scheduleLapse(deps: IssuerDeps, intervalMs = LAPSE_INTERVAL_MS, log?: (msg: string) => void): () => void {
	const run = async () => {
		const ids = await lapseOverdue(deps);
		return ids.length ? `urgent proposals lapsed unapproved: ${ids.join(', ')}` : undefined;
	};
	return scheduleJob(deps.db, deps.clock, { name: 'proposal-lapse', label: 'proposal lapse', intervalMs, run }, log);
}
