/**
 * The one risk-area write the demo seed needs (an outbreak area unless one with its id exists), kept apart from
 * the risk-area repository that another branch creates (store/risk-areas.ts): fold it in there when merged.
 */
import type { Db } from './db.js';
import type { RiskAreasTable } from './schema.js';

export async function insertRiskAreaIfAbsent(db: Db, row: RiskAreasTable): Promise<void> {
	await db
		.insertInto('risk_areas')
		.values(row)
		.onConflict((oc) => oc.column('id').doNothing())
		.execute();
}
