/**
 * Venues (table venues): the places guard phones are enrolled to. `policy_json` is stored and returned as
 * text; scans/guards.ts owns its shape ({ policy }).
 */
import type { Insertable, Selectable } from 'kysely';
import type { Db } from './db.js';
import type { VenuesTable } from './schema.js';

/** A venue as written (kind optional: `other`) and as read. */
export type VenueRow = Insertable<VenuesTable>;
export type StoredVenue = Selectable<VenuesTable>;

export async function insertVenue(db: Db, row: VenueRow): Promise<void> {
	await db.insertInto('venues').values(row).execute();
}

/** Idempotent seeding (the demo's fixed ids): an existing venue is left as it is. */
export async function insertVenueIfAbsent(db: Db, row: VenueRow): Promise<void> {
	await db
		.insertInto('venues')
		.values(row)
		.onConflict((oc) => oc.column('id').doNothing())
		.execute();
}

export async function venueById(db: Db, id: string): Promise<StoredVenue | undefined> {
	return db.selectFrom('venues').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface VenueWithGuards {
	id: string;
	name: string;
	region: string;
	policy_json: string;
	kind: string;
	/** guard devices enrolled and not revoked */
	guards: number;
}

/** Venues by id with their live guard count, at most `limit` (one grouped LEFT JOIN). */
export async function venuesWithGuardCounts(db: Db, limit: number): Promise<VenueWithGuards[]> {
	const rows = await db
		.selectFrom('venues')
		.leftJoin('guard_devices', (j) => j.onRef('guard_devices.venue_id', '=', 'venues.id').on('guard_devices.revoked_at', 'is', null))
		.select([
			'venues.id',
			'venues.name',
			'venues.region',
			'venues.policy_json',
			'venues.kind',
			(eb) => eb.fn.count<number | string | bigint>('guard_devices.id').as('guards')
		])
		.groupBy(['venues.id', 'venues.name', 'venues.region', 'venues.policy_json', 'venues.kind'])
		.orderBy('venues.id')
		.limit(limit)
		.execute();
	// count() is INT8 on PostgreSQL (a number through open.ts's parser) and may be a bigint elsewhere
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		region: r.region,
		policy_json: r.policy_json,
		kind: r.kind,
		guards: Number(r.guards)
	}));
}

/** The names of these venues (the resident app's reasons name the place; unknown ids are left out). */
export async function venueNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
	if (!ids.length) return new Map();
	const rows = await db.selectFrom('venues').select(['id', 'name']).where('id', 'in', ids).execute();
	return new Map(rows.map((r) => [r.id, r.name]));
}

/** Changes a venue's name, kind and entry policy (the console); false when there is no such venue. */
export async function updateVenue(db: Db, id: string, set: { name: string; kind: string; policy_json: string }): Promise<boolean> {
	const r = await db.updateTable('venues').set(set).where('id', '=', id).executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}
