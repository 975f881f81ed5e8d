/**
 * map_density and resident_places (migration 023): residents by colour per grid cell, the aggregate the console
 * map's density layer is served from — a few thousand rows for a city, read whole, never a scan of residents per
 * request. Kept current by every colour write (`applyDensityChanges`, called by resident-colours.ts writeColours
 * in the same transaction: −1 in the old colour's cell, +1 in the new one's) and rebuilt whole by the seed and
 * `tongxing map density` (one grouped join). Grid −1 counts residents without a place.
 */
import { sql } from 'kysely';
import type { Db } from './db.js';

/** The grid value of residents without a known place. */
export const NO_PLACE = -1;
const CHUNK = 500;

export interface DensityRow {
	grid: number;
	colour: string;
	residents: number;
}

/** Every non-empty (cell, colour) count. */
export async function densityRows(db: Db): Promise<DensityRow[]> {
	const rows = await db.selectFrom('map_density').select(['grid', 'colour', 'residents']).where('residents', '>', 0).execute();
	return rows.map((r) => ({ grid: Number(r.grid), colour: r.colour, residents: Number(r.residents) }));
}

/** Places of residents ([ref, grid]), replacing earlier ones. */
export async function upsertResidentPlaces(db: Db, rows: readonly (readonly [string, number])[], nowMs: number): Promise<void> {
	for (let i = 0; i < rows.length; i += CHUNK) {
		await db
			.insertInto('resident_places')
			.values(rows.slice(i, i + CHUNK).map(([ref, grid]) => ({ ref, grid, updated_at: nowMs })))
			.onConflict((oc) =>
				oc.column('ref').doUpdateSet((eb) => ({ grid: eb.ref('excluded.grid'), updated_at: eb.ref('excluded.updated_at') }))
			)
			.execute();
	}
}

/** The current colours and places of these refs, read before their colours are overwritten. */
export async function densityBefore(db: Db, refs: readonly string[]): Promise<Map<string, { colour: string | null; grid: number }>> {
	const out = new Map<string, { colour: string | null; grid: number }>();
	if (!refs.length) return out;
	// one after the other: a transaction is one connection
	const colours = await db.selectFrom('resident_colours').select(['ref', 'colour']).where('ref', 'in', refs).execute();
	const places = await db.selectFrom('resident_places').select(['ref', 'grid']).where('ref', 'in', refs).execute();
	const grid = new Map(places.map((p) => [p.ref, Number(p.grid)]));
	const colour = new Map(colours.map((c) => [c.ref, c.colour]));
	for (const ref of refs) out.set(ref, { colour: colour.get(ref) ?? null, grid: grid.get(ref) ?? NO_PLACE });
	return out;
}

/** Moves each resident's count from their old colour to the new one in their cell (same transaction as the write). */
export async function applyDensityChanges(
	db: Db,
	before: ReadonlyMap<string, { colour: string | null; grid: number }>,
	after: readonly { ref: string; colour: string }[]
): Promise<void> {
	const delta = new Map<string, number>();
	const add = (grid: number, colour: string, d: number) => {
		const k = `${grid}|${colour}`;
		delta.set(k, (delta.get(k) ?? 0) + d);
	};
	for (const a of after) {
		const b = before.get(a.ref);
		const grid = b?.grid ?? NO_PLACE;
		if (b?.colour === a.colour) continue;
		if (b?.colour) add(grid, b.colour, -1);
		add(grid, a.colour, +1);
	}
	const rows = [...delta]
		.filter(([, d]) => d !== 0)
		.map(([k, d]) => {
			const [g, colour] = k.split('|') as [string, string];
			return { grid: Number(g), colour, residents: d };
		});
	if (!rows.length) return;
	// one statement per batch: a new (cell, colour) row starts at its delta (never negative while the aggregate
	// matches the colours, which the tests and `tongxing map density` check), an existing one adds it
	await db
		.insertInto('map_density')
		.values(rows)
		.onConflict((oc) => oc.columns(['grid', 'colour']).doUpdateSet({ residents: sql<number>`map_density.residents + excluded.residents` }))
		.execute();
}

/** Recounts the whole aggregate from resident_colours and resident_places (seed, operator repair): one grouped join. */
export async function rebuildDensity(db: Db): Promise<number> {
	await db.deleteFrom('map_density').execute();
	// one literal (not two parameters) so PostgreSQL sees the grouped expression and the selected one as the same
	const grid = sql`coalesce(p.grid, ${sql.lit(NO_PLACE)})`;
	await sql`insert into map_density (grid, colour, residents)
		select ${grid}, c.colour, count(*) from resident_colours c left join resident_places p on p.ref = c.ref
		group by ${grid}, c.colour`.execute(db);
	const r = await db
		.selectFrom('map_density')
		.select((eb) => eb.fn.count<number | string | bigint>('grid').as('n'))
		.executeTakeFirst();
	return Number(r?.n ?? 0);
}
