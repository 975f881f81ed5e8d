/**
 * Keeps a person supplied with codes from their latest colour decision: used when the app fetches its codes
 * (first device registration, current code nearing its end) and after a key compromise. The codes come from the
 * issuance pipeline (issuance/issue.ts) with a copy of the latest decision.
 */
import type { PeopleTable } from '../store/schema.js';
import { transaction } from '../store/db.js';
import { hasLiveCodeBeyond } from '../store/codes.js';
import { latestDecision } from '../issuance/decision.js';
import { issue, type Holder } from '../issuance/issue.js';
import type { IssuerDeps } from '../deps.js';

/** Issues current + next when no live code is valid beyond the overlap window. Returns whether it issued. */
export async function topUp(deps: IssuerDeps, person: PeopleTable, holder: Holder, force = false): Promise<boolean> {
	const now = deps.clock();
	if (!holder.deviceKey) return false;
	if (!force && (await hasLiveCodeBeyond(deps.db, person.id, now + deps.config.codeOverlapMs))) return false;
	const decision = await latestDecision(deps.db, person.id);
	if (!decision) return false;
	await transaction(deps.db, (tx) => issue(deps, tx, person, decision, { holder }));
	return true;
}
