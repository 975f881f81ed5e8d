/**
 * The venues for the console (the demo's four, the demo city's, and `tongxing venue add`'s), each with how many
 * guard phones are enrolled and not revoked. Names only, no scans: the list is for enrolling guards.
 */
import type { Db } from '../store/db.js';
import { venuesWithGuardCounts } from '../store/venues.js';
import type { EntryPolicy } from './guards.js';
import { isVenueKind, type VenueKind } from '../../core/venue-kinds.js';

export interface VenueSummary {
	id: string;
	name: string;
	region: string;
	policy: EntryPolicy;
	kind: VenueKind;
	guards: number;
}

/** At most this many (a city has hundreds); the console filters on the client. */
export const VENUE_LIST_LIMIT = 5000;

export async function listVenues(db: Db): Promise<VenueSummary[]> {
	return (await venuesWithGuardCounts(db, VENUE_LIST_LIMIT)).map((r) => ({
		id: r.id,
		name: r.name,
		region: r.region,
		policy: (JSON.parse(r.policy_json) as { policy: EntryPolicy }).policy,
		kind: isVenueKind(r.kind) ? r.kind : 'other',
		guards: r.guards
	}));
}
