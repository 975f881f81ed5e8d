/**
 * risk_areas: the areas the authority declares (polygon or grid cells, level, active window), entered by hand
 * (recolour/risk-areas.ts) or imported (sources/kinds.ts), with the bounding box that finds who was in them.
 */
import type { Db } from './db.js';
import type { RiskAreasTable, RiskLevel } from './schema.js';
import type { RiskArea } from '../../core/rules/facts.js';
import type { BBox } from '../geo/grid.js';

export type RiskShape = { type: 'polygon'; ring: [number, number][] } | { type: 'cells'; cells: string[] };

/** A risk area as written (times in ms). */
export interface StoredRiskArea {
	id: string;
	name: string;
	level: RiskLevel;
	shape: RiskShape;
	bbox: BBox;
	from: number;
	until: number | null;
}

/** What stored records may change colours of (recolour/affected.ts turns it into residents). */
export interface Affected {
	refs: Set<string>;
	/** phones (keyed hashes) whose owners are affected */
	phones: Set<string>;
	/** refs that became (or stopped being) confirmed cases: their contacts, companions and co-visitors too */
	caseRefs: Set<string>;
	/**
	 * Of caseRefs, those with no case before this change (cases kind write): no stored decision can rest on them, so
	 * a companion who does not match them keeps their colour whatever reasons it has (recolour/screen-candidates.ts).
	 * Absent: every case counts as changed.
	 */
	newCaseRefs?: Set<string>;
	/** risk areas created or changed: everyone whose trajectory was in them in their window */
	riskAreas: StoredRiskArea[];
}

/** Inserts the areas, or updates level, shape and end of those already stored (same id). */
export async function insertRiskAreas(db: Db, rows: readonly StoredRiskArea[], nowMs: number, actor: string): Promise<void> {
	await db
		.insertInto('risk_areas')
		.values(
			rows.map((x) => ({
				id: x.id,
				name: x.name,
				level: x.level,
				shape_json: JSON.stringify(x.shape),
				bbox_west: x.bbox.west,
				bbox_south: x.bbox.south,
				bbox_east: x.bbox.east,
				bbox_north: x.bbox.north,
				from_at: x.from,
				until_at: x.until,
				created_at: nowMs,
				created_by: actor
			}))
		)
		.onConflict((oc) =>
			oc.column('id').doUpdateSet((eb) => ({
				level: eb.ref('excluded.level'),
				shape_json: eb.ref('excluded.shape_json'),
				until_at: eb.ref('excluded.until_at')
			}))
		)
		.execute();
}

export async function riskAreaById(db: Db, id: string): Promise<RiskAreasTable | undefined> {
	return db.selectFrom('risk_areas').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ends (or moves the end of) an area. */
export async function setRiskAreaEnd(db: Db, id: string, untilMs: number): Promise<void> {
	await db.updateTable('risk_areas').set({ until_at: untilMs }).where('id', '=', id).execute();
}

/** The newest areas first, at most `limit`. */
export async function latestRiskAreas(db: Db, limit: number): Promise<RiskAreasTable[]> {
	return db.selectFrom('risk_areas').selectAll().orderBy('from_at', 'desc').limit(limit).execute();
}

const sec = (ms: number) => Math.floor(ms / 1000);

/** A stored area as the rules read it (Unix seconds). */
export function riskAreaFromRow(r: { id: string; level: string; shape_json: string; from_at: number; until_at: number | null }): RiskArea {
	return {
		id: `area:${r.id}`,
		level: r.level as RiskArea['level'],
		shape: JSON.parse(r.shape_json) as RiskArea['shape'],
		from: sec(r.from_at),
		...(r.until_at === null ? {} : { until: sec(r.until_at) })
	};
}

/** The areas not ended before `sinceMs`, as the rules read them. */
export async function riskAreasSince(db: Db, sinceMs: number): Promise<RiskArea[]> {
	const rows = await db
		.selectFrom('risk_areas')
		.select(['id', 'level', 'shape_json', 'from_at', 'until_at'])
		.where((eb) => eb.or([eb('until_at', 'is', null), eb('until_at', '>=', sinceMs)]))
		.execute();
	return rows.map(riskAreaFromRow);
}

/** The names of these risk areas, by their ids as the rules know them (`area:…`, riskAreaFromRow); unknown ids left out. */
export async function riskAreaNames(db: Db, ruleIds: readonly string[]): Promise<Map<string, string>> {
	const ids = ruleIds.filter((x) => x.startsWith('area:')).map((x) => x.slice('area:'.length));
	if (!ids.length) return new Map();
	const rows = await db.selectFrom('risk_areas').select(['id', 'name']).where('id', 'in', ids).execute();
	return new Map(rows.map((r) => [`area:${r.id}`, r.name]));
}
