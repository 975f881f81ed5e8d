/**
 * The reads behind contact tracing in the console (server/tracing/): confirmed cases, a case's visits and points
 * inside a time window, and who else was at the same venue, near the same place or in the same cell. Every query
 * is an index range scan bounded by the window and a row limit (cases (confirmed_at), venue_visits (ref, at) and
 * (venue_id, at), scan_events (code_id, scanned_at) and (venue_id, scanned_at) (migration 025),
 * trajectory_points (phone_hmac, at), (grid, at, lat, lon) and (cell, at)); the caller passes the limits and
 * reports when one was reached.
 */
import type { Db } from './db.js';
import type { CasesTable, ContactKind } from './schema.js';
import type { BBox } from '../geo/grid.js';

export type CaseRow = Pick<CasesTable, 'id' | 'ref' | 'confirmed_at' | 'released_at' | 'onset_at' | 'isolated_at'>;

const CASE_COLUMNS = ['id', 'ref', 'confirmed_at', 'released_at', 'onset_at', 'isolated_at'] as const;

/** The newest confirmed case records, newest first. */
export async function latestCases(db: Db, limit: number): Promise<CaseRow[]> {
	return db.selectFrom('cases').select(CASE_COLUMNS).orderBy('confirmed_at', 'desc').orderBy('id').limit(limit).execute();
}

export async function caseById(db: Db, id: string): Promise<CaseRow | undefined> {
	return db.selectFrom('cases').select(CASE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export interface Visit {
	ref: string;
	venue_id: string;
	at: number;
}

/** A person's venue visits and the guards' scans of their codes in [fromMs, untilMs), at most `limit` of each. */
export async function visitsOfRefIn(db: Db, ref: string, fromMs: number, untilMs: number, limit: number): Promise<Visit[]> {
	const visits = await db
		.selectFrom('venue_visits')
		.select(['ref', 'venue_id', 'at'])
		.where('ref', '=', ref)
		.where('at', '>=', fromMs)
		.where('at', '<', untilMs)
		.orderBy('at')
		.limit(limit)
		.execute();
	const scans = await db
		.selectFrom('people')
		.innerJoin('codes', 'codes.person_id', 'people.id')
		.innerJoin('scan_events', 'scan_events.code_id', 'codes.code_id')
		.select(['people.id_hmac as ref', 'scan_events.venue_id', 'scan_events.scanned_at as at'])
		.where('people.id_hmac', '=', ref)
		.where('scan_events.scanned_at', '>=', fromMs)
		.where('scan_events.scanned_at', '<', untilMs)
		.orderBy('scan_events.scanned_at')
		.limit(limit)
		.execute();
	return [...visits, ...scans];
}

/** Who visited or was scanned at a venue in [fromMs, untilMs] (inclusive), at most `limit` of each. */
export async function visitsAtVenue(db: Db, venueId: string, fromMs: number, untilMs: number, limit: number): Promise<Visit[]> {
	const visits = await db
		.selectFrom('venue_visits')
		.select(['ref', 'venue_id', 'at'])
		.where('venue_id', '=', venueId)
		.where('at', '>=', fromMs)
		.where('at', '<=', untilMs)
		.limit(limit)
		.execute();
	const scans = await db
		.selectFrom('scan_events')
		.innerJoin('codes', 'codes.code_id', 'scan_events.code_id')
		.innerJoin('people', 'people.id', 'codes.person_id')
		.select(['people.id_hmac as ref', 'scan_events.venue_id', 'scan_events.scanned_at as at'])
		.where('scan_events.venue_id', '=', venueId)
		.where('scan_events.scanned_at', '>=', fromMs)
		.where('scan_events.scanned_at', '<=', untilMs)
		.limit(limit)
		.execute();
	return [...visits, ...scans];
}

export interface PointRow {
	id: number;
	ref: string;
	phone_hmac: string;
	at: number;
	lat: number | null;
	lon: number | null;
	accuracy_m: number | null;
	cell: string | null;
}

const POINT_COLUMNS = [
	'trajectory_points.id',
	'phone_registry.id_hmac as ref',
	'trajectory_points.phone_hmac',
	'trajectory_points.at',
	'trajectory_points.lat',
	'trajectory_points.lon',
	'trajectory_points.accuracy_m',
	'trajectory_points.cell'
] as const;

/** A person's trajectory points (all their phones) in [fromMs, untilMs), oldest first, at most `limit`. */
export async function pointsOfRefIn(db: Db, ref: string, fromMs: number, untilMs: number, limit: number): Promise<PointRow[]> {
	return db
		.selectFrom('phone_registry')
		.innerJoin('trajectory_points', 'trajectory_points.phone_hmac', 'phone_registry.phone_hmac')
		.select(POINT_COLUMNS)
		.where('phone_registry.id_hmac', '=', ref)
		.where('trajectory_points.at', '>=', fromMs)
		.where('trajectory_points.at', '<', untilMs)
		.orderBy('trajectory_points.at')
		.limit(limit)
		.execute();
}

/** The points of these phones (one chunk) in [fromMs, untilMs), with their owners, at most `limit`. */
export async function pointsOfPhonesIn(
	db: Db,
	phones: readonly string[],
	fromMs: number,
	untilMs: number,
	limit: number
): Promise<PointRow[]> {
	if (!phones.length) return [];
	return db
		.selectFrom('phone_registry')
		.innerJoin('trajectory_points', 'trajectory_points.phone_hmac', 'phone_registry.phone_hmac')
		.select(POINT_COLUMNS)
		.where('trajectory_points.phone_hmac', 'in', phones)
		.where('trajectory_points.at', '>=', fromMs)
		.where('trajectory_points.at', '<', untilMs)
		.limit(limit)
		.execute();
}

/** Phones with a point inside `box` (grid cells covering it, one chunk) in [fromMs, untilMs), at most `limit`. */
export async function phonesInBox(
	db: Db,
	cells: readonly number[],
	box: BBox,
	fromMs: number,
	untilMs: number,
	limit: number
): Promise<string[]> {
	if (!cells.length) return [];
	const rows = await db
		.selectFrom('trajectory_points')
		.select('phone_hmac')
		.where('grid', 'in', cells)
		.where('at', '>=', fromMs)
		.where('at', '<', untilMs)
		.where('lat', '>=', box.south)
		.where('lat', '<=', box.north)
		.where('lon', '>=', box.west)
		.where('lon', '<=', box.east)
		.distinct()
		.limit(limit)
		.execute();
	return rows.map((r) => r.phone_hmac);
}

/** Phones with a point naming one of these carrier cells in [fromMs, untilMs), at most `limit`. */
export async function phonesInCellsIn(db: Db, cells: readonly string[], fromMs: number, untilMs: number, limit: number): Promise<string[]> {
	if (!cells.length) return [];
	const rows = await db
		.selectFrom('trajectory_points')
		.select('phone_hmac')
		.where('cell', 'in', cells)
		.where('at', '>=', fromMs)
		.where('at', '<', untilMs)
		.distinct()
		.limit(limit)
		.execute();
	return rows.map((r) => r.phone_hmac);
}

/** The people already named as contacts of this case (ref → the closest kind). */
export async function contactsOfCase(db: Db, caseRef: string): Promise<Map<string, ContactKind>> {
	const out = new Map<string, ContactKind>();
	for (const c of await db.selectFrom('contacts').select(['ref', 'kind']).where('to_ref', '=', caseRef).execute())
		if (out.get(c.ref) !== 'close') out.set(c.ref, c.kind);
	return out;
}

/** The first positive sample (ms) of each of these refs (one chunk), if any. */
export async function firstPositiveSamples(db: Db, refs: readonly string[]): Promise<Map<string, number>> {
	if (!refs.length) return new Map();
	const rows = await db
		.selectFrom('health_tests')
		.select(['ref', (eb) => eb.fn.min('sampled_at').as('first')])
		.where('ref', 'in', refs)
		.where('result', '=', 'positive')
		.groupBy('ref')
		.execute();
	return new Map(rows.map((r) => [r.ref, Number(r.first)]));
}
