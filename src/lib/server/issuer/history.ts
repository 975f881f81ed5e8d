import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface ColourHistoryEntry {
	at: number;
	colour: string;
	reasons: string[];
	ruleVersion: string;
	actor: string;
}

/** A person's colour decisions, newest first, from the append-only audit log. */
export async function colourHistory(db: Kysely<Database>, personId: string, limit = 100): Promise<ColourHistoryEntry[]> {
	const rows = await db
		.selectFrom('colour_events')
		.select(['at', 'colour', 'reasons_json', 'rule_version', 'actor'])
		.where('person_id', '=', personId)
		.orderBy('at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		at: r.at,
		colour: r.colour,
		reasons: JSON.parse(r.reasons_json) as string[],
		ruleVersion: r.rule_version,
		actor: r.actor
	}));
}
