/**
 * Urgent risk areas take effect at once but must be approved within TONGXING_URGENT_APPROVAL_HOURS: one still
 * pending at its deadline lapses — marked `lapsed` (audited, actor system/lapse), the area withdrawn as if it never applied (its window emptied) and the residents
 * it applied to re-evaluated without it through the normal path (recolour → issuance pipeline). No request from
 * anyone is needed: the server runs lapseOverdue every minute (scheduleLapse, started with the colour review in
 * hooks.server.ts, the same single-runner claim in rate_limits), with deps.clock so tests move time forward.
 */
import type { IssuerDeps } from '../deps.js';
import { transaction } from '../store/db.js';
import { hit } from '../store/rate-limit.js';
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

/** Runs lapseOverdue every `intervalMs` (never overlapping itself; one instance per window across processes). Returns a stop function. */
export function scheduleLapse(
	deps: IssuerDeps,
	intervalMs = LAPSE_INTERVAL_MS,
	log: (msg: string) => void = (m) => console.error(m)
): () => void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			if (!(await hit(deps.db, 'job:proposal-lapse', intervalMs, 1, Math.floor(deps.clock()))).allowed) return;
			const ids = await lapseOverdue(deps);
			if (ids.length) log(`urgent proposals lapsed unapproved: ${ids.join(', ')}`);
		} catch (e) {
			log(`proposal lapse check failed: ${e instanceof Error ? e.message : 'unknown error'}`);
		} finally {
			running = false;
		}
	};
	void tick();
	const timer = setInterval(() => void tick(), intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}
