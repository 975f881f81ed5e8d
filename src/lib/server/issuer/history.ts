/**
 * A person's colour history as the app shows it, from the append-only audit log (store/colour-events.ts).
 */
import type { Db } from '../store/db.js';
import type { ReasonDetail } from '../../core/contract/resident.js';
import { colourEventsOfPerson } from '../store/colour-events.js';
import { serveExplanations } from '../recolour/explanation.js';

export interface ColourHistoryEntry {
	at: number;
	colour: string;
	reasons: string[];
	ruleVersion: string;
	actor: string;
	/** the staff decision behind the change (proposals/), shown with its reason and how to appeal */
	staffDecision?: { proposalId: string; reasonCode: string };
	/** each reason's date and place as decided then (migration 029; absent for older rows and staff decisions) */
	details?: ReasonDetail[];
}

/** A person's colour decisions, newest first, from the append-only audit log. */
export async function colourHistory(db: Db, personId: string, limit = 100): Promise<ColourHistoryEntry[]> {
	const rows = await colourEventsOfPerson(db, personId, limit);
	const explained = await serveExplanations(
		db,
		rows.map((r) => r.explain_json)
	);
	return rows.map((r, i) => ({
		at: r.at,
		colour: r.colour,
		reasons: JSON.parse(r.reasons_json) as string[],
		ruleVersion: r.rule_version,
		actor: r.actor,
		...(r.proposal_id && r.reason_code ? { staffDecision: { proposalId: r.proposal_id, reasonCode: r.reason_code } } : {}),
		...(explained[i]?.details.length ? { details: explained[i].details } : {})
	}));
}
