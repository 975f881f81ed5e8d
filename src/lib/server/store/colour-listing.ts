/**
 * Residents' current colours for operators (`tongxing colours`, src/cli/colours-command.ts): page by page in ref
 * order (keyset on resident_colours' primary key, so a city of millions is read in bounded memory), with the
 * register's region and, where the resident has an account, the masked ID number. And id_number_reads (migration
 * 017), the append-only record of every lookup by ID number.
 */
import type { Db } from './db.js';
import type { IdNumberReadsTable } from './schema.js';

/** Largest `IN (…)` list / multi-row insert per statement. */
const CHUNK = 500;

export interface ListedColour {
	ref: string;
	colour: string;
	reasons_json: string;
	rule_version: string;
	updated_at: number;
	region: string | null;
	id_masked: string | null;
}

export interface ColourFilter {
	/** only these colours (absent or empty: all) */
	colours?: readonly string[];
	/**
	 * only residents with one of these reasons (absent or empty: all). Matched on the stored JSON text as `"code"`;
	 * callers pass known reason codes (letters, digits and hyphens, no LIKE wildcards).
	 */
	reasons?: readonly string[];
}

function listing(db: Db, filter: ColourFilter) {
	let q = db
		.selectFrom('resident_colours as rc')
		.leftJoin('household_register as hr', 'hr.id_hmac', 'rc.ref')
		.select(['rc.ref', 'rc.colour', 'rc.reasons_json', 'rc.rule_version', 'rc.updated_at', 'hr.region'])
		.select((eb) =>
			eb
				.selectFrom('people as p')
				.select('p.id_masked')
				.whereRef('p.id_hmac', '=', 'rc.ref')
				.where('p.removed_at', 'is', null)
				.limit(1)
				.as('id_masked')
		);
	if (filter.colours?.length) q = q.where('rc.colour', 'in', filter.colours);
	const reasons = filter.reasons ?? [];
	if (reasons.length) q = q.where((eb) => eb.or(reasons.map((r) => eb('rc.reasons_json', 'like', `%"${r}"%`))));
	return q;
}

/** One page of residents' colours with ref > `after` (null: from the start), in ref order. */
export async function residentColourPage(db: Db, after: string | null, limit: number, filter: ColourFilter = {}): Promise<ListedColour[]> {
	let q = listing(db, filter);
	if (after !== null) q = q.where('rc.ref', '>', after);
	return q.orderBy('rc.ref').limit(limit).execute();
}

/** The colours of these refs that pass the filter (absent: never evaluated, or filtered out). */
export async function residentColoursOfRefs(db: Db, refs: readonly string[], filter: ColourFilter = {}): Promise<ListedColour[]> {
	const out: ListedColour[] = [];
	for (let i = 0; i < refs.length; i += CHUNK)
		out.push(
			...(await listing(db, filter)
				.where('rc.ref', 'in', refs.slice(i, i + CHUNK))
				.execute())
		);
	return out;
}

/** Appends one row per resident looked up by ID number (append-only table; nothing ever updates or deletes it). */
export async function recordIdNumberReads(db: Db, rows: readonly Omit<IdNumberReadsTable, 'id'>[]): Promise<void> {
	for (let i = 0; i < rows.length; i += CHUNK)
		await db
			.insertInto('id_number_reads')
			.values(rows.slice(i, i + CHUNK))
			.execute();
}

/** The lookups of one resident, newest first (who read their colour by ID number, when, why). */
export async function idNumberReadsOf(db: Db, ref: string): Promise<Omit<IdNumberReadsTable, 'id'>[]> {
	return db
		.selectFrom('id_number_reads')
		.select(['read_id', 'ref', 'at', 'actor', 'purpose'])
		.where('ref', '=', ref)
		.orderBy('at', 'desc')
		.execute();
}
