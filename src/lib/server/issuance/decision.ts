/**
 * A colour decision as the issuance pipeline takes it (issue.ts), and the one place that turns a person's latest
 * recorded decision (colour_events' newest row) back into one: top-ups, paper codes and key-compromise re-issues
 * copy it rather than deciding again.
 */
import type { Colour } from '../../core/claims.js';
import type { ColourReason } from '../../core/colour-reasons.js';
import type { Db } from '../store/db.js';
import { latestColourEvent } from '../store/colour-events.js';

export interface ColourDecision {
	colour: Colour;
	/** Reasons carried in the code (non-green only). */
	reasons: ColourReason[];
	/** Reasons for the audit log, e.g. 'no-adverse-data' for green. */
	auditReasons: string[];
	ruleVersion: string;
	facts: unknown;
	actor: string;
	lastNegativeTestAt?: number;
	/** the staff decision behind it (an approved proposal or an action under the approval threshold) */
	staff?: StaffDecision;
	/** why, as recolour/explanation.ts stores it (reasons' dates and place ids): kept with the audit row so the history shows it */
	explanation?: string | null;
}

/** A staff decision as the audit and the resident's history show it (src/lib/server/proposals/). */
export interface StaffDecision {
	proposalId: string;
	reasonCode: string;
}

/** The actor of a copy of an earlier decision (top-up, paper code, re-issue): not a decision of its own. */
export const REFRESH_ACTOR = 'system/refresh';

/** The person's latest recorded decision as a refresh (actor REFRESH_ACTOR), or undefined when none was ever made. */
export async function latestDecision(db: Db, personId: string): Promise<ColourDecision | undefined> {
	const event = await latestColourEvent(db, personId);
	if (!event) return undefined;
	const colour = event.colour as Colour;
	const reasons = colour === 'green' ? [] : (JSON.parse(event.reasons_json) as ColourReason[]);
	return {
		colour,
		reasons,
		auditReasons: reasons,
		ruleVersion: event.rule_version,
		facts: null,
		actor: REFRESH_ACTOR,
		explanation: event.explain_json
	};
}
