/**
 * The resident-colour reads the demo seed's summary needs (how many of each colour; a persona's colour), kept
 * apart from the colours repository another branch creates: fold them in there when merged.
 */
import type { Db } from './db.js';

/** colour → number of residents with it */
export async function colourCounts(db: Db): Promise<Record<string, number>> {
	const colours: Record<string, number> = {};
	for (const r of await db
		.selectFrom('resident_colours')
		.select(['colour', (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy('colour')
		.execute())
		colours[r.colour] = Number(r.n);
	return colours;
}

export async function residentColour(db: Db, ref: string): Promise<{ colour: string; reasons_json: string } | undefined> {
	return db.selectFrom('resident_colours').select(['colour', 'reasons_json']).where('ref', '=', ref).executeTakeFirst();
}
