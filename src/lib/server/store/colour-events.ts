/**
 * colour_events: the append-only audit log of colour decisions per person (what the app's history shows, and
 * the decision top-ups and paper codes copy).
 */
import type { Db } from './db.js';
import type { ColourEventsTable } from './schema.js';
import type { Insertable, Selectable } from 'kysely';

export type ColourEventRow = Selectable<ColourEventsTable>;

export async function insertColourEvent(db: Db, row: Insertable<ColourEventsTable>): Promise<void> {
	await db.insertInto('colour_events').values(row).execute();
}

/** The person's newest decision (latest `at`, then latest id), or undefined. */
export async function latestColourEvent(db: Db, personId: string): Promise<ColourEventRow | undefined> {
	return db
		.selectFrom('colour_events')
		.selectAll()
		.where('person_id', '=', personId)
		.orderBy('at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
}

/** The person's decisions, newest first. */
export async function colourEventsOfPerson(
	db: Db,
	personId: string,
	limit: number
): Promise<
	Pick<ColourEventRow, 'at' | 'colour' | 'reasons_json' | 'rule_version' | 'actor' | 'proposal_id' | 'reason_code' | 'explain_json'>[]
> {
	return db
		.selectFrom('colour_events')
		.select(['at', 'colour', 'reasons_json', 'rule_version', 'actor', 'proposal_id', 'reason_code', 'explain_json'])
		.where('person_id', '=', personId)
		.orderBy('at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
}
