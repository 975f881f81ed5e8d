/**
 * colour_overrides (migration 011): approved manual colour decisions for one resident, read by the decision
 * path (recolour/overrides.ts) so a later recolour honours them until they end or are withdrawn.
 */
import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { ColourOverridesTable } from './schema.js';

export type ColourOverrideRow = Selectable<ColourOverridesTable>;

export async function insertColourOverride(db: Db, row: ColourOverridesTable): Promise<void> {
	await db.insertInto('colour_overrides').values(row).execute();
}

export async function colourOverrideById(db: Db, id: string): Promise<ColourOverrideRow | undefined> {
	return db.selectFrom('colour_overrides').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The overrides in force at `nowMs` for the refs (not withdrawn, started, not ended). */
export async function activeOverridesOf(db: Db, refs: readonly string[], nowMs: number): Promise<ColourOverrideRow[]> {
	if (!refs.length) return [];
	return db
		.selectFrom('colour_overrides')
		.selectAll()
		.where('ref', 'in', refs)
		.where('withdrawn_at', 'is', null)
		.where('from_at', '<=', nowMs)
		.where((eb) => eb.or([eb('until_at', 'is', null), eb('until_at', '>', nowMs)]))
		.orderBy('from_at')
		.execute();
}

export async function withdrawColourOverride(db: Db, id: string, nowMs: number, by: string): Promise<boolean> {
	const r = await db
		.updateTable('colour_overrides')
		.set({ withdrawn_at: nowMs, withdrawn_by: by })
		.where('id', '=', id)
		.where('withdrawn_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}
