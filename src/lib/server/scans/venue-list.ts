/**
 * The venues for the console (the demo's four, the demo city's, and `tongxing venue add`'s), each with how many
 * guard phones are enrolled and not revoked. Names only, no scans: the list is for enrolling guards.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { EntryPolicy } from './guards.js';

export interface VenueSummary {
	id: string;
	name: string;
	region: string;
	policy: EntryPolicy;
	guards: number;
}

/** At most this many (a city has hundreds); the console filters on the client. */
export const VENUE_LIST_LIMIT = 5000;

export async function listVenues(db: Kysely<Database>): Promise<VenueSummary[]> {
	const rows = await db
		.selectFrom('venues')
		.leftJoin('guard_devices', (j) => j.onRef('guard_devices.venue_id', '=', 'venues.id').on('guard_devices.revoked_at', 'is', null))
		.select([
			'venues.id',
			'venues.name',
			'venues.region',
			'venues.policy_json',
			(eb) => eb.fn.count<number | string | bigint>('guard_devices.id').as('guards')
		])
		.groupBy(['venues.id', 'venues.name', 'venues.region', 'venues.policy_json'])
		.orderBy('venues.id')
		.limit(VENUE_LIST_LIMIT)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		region: r.region,
		policy: (JSON.parse(r.policy_json) as { policy: EntryPolicy }).policy,
		guards: Number(r.guards)
	}));
}
