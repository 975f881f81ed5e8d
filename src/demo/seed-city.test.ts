/**
 * `tongxing seed` on a small city: every resident registered, evaluated once and audited; the demo identities
 * are in it with their colours; the trajectory indexes are rebuilt after the bulk load; seeding is detected.
 */
import { isPostgres, sqliteTrajectoryIndexNames } from '../lib/server/store/demo-seed.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../lib/testing/issuer-fixture.js';
import { idHmac } from '../lib/server/issuer/people.js';
import { loadEngine } from '../lib/server/recolour/engine.js';
import { loadPersonFacts } from '../lib/server/recolour/load-facts.js';
import { allResidents } from '../lib/server/recolour/rule-sets.js';
import { DEMO_IDENTITIES } from './identities.js';
import { isSeeded, seedCity } from './seed-city.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const count = async (t: 'household_register' | 'resident_colours' | 'resident_colour_events' | 'trajectory_points' | 'phone_registry') =>
	Number(
		(
			await f.deps.db
				.selectFrom(t)
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

describe('tongxing seed', () => {
	it('writes a city, evaluates and audits everyone once, and keeps the demo identities', async () => {
		expect(await isSeeded(f.deps)).toBe(false);
		const out = await seedCity(f.deps, { residents: 300 });
		expect(out.residents).toBe(300);
		expect(await count('household_register')).toBe(300); // the 5 demo identities are city residents, not extra
		expect(await count('resident_colours')).toBe(300);
		expect(await count('resident_colour_events')).toBe(300);
		expect(await count('trajectory_points')).toBe(out.trajectoryPoints);
		expect(out.trajectoryPoints).toBeGreaterThan(0);
		expect(Object.values(out.colours).reduce((a, b) => a + b, 0)).toBe(300);
		expect(out.personas.map((p) => p.idNumber).sort()).toEqual(DEMO_IDENTITIES.map((p) => p.idNumber).sort());
		for (const p of out.personas) {
			const row = await f.deps.db
				.selectFrom('resident_colours')
				.select('colour')
				.where('ref', '=', idHmac(f.deps.hmacKey, 'resident', p.idNumber))
				.executeTakeFirstOrThrow();
			expect(row.colour).toBe(p.colour);
		}
		expect(await sqliteTrajectoryIndexNames(f.deps.db)).toEqual([
			'trajectory_points_at',
			'trajectory_points_cell_at_phone',
			'trajectory_points_grid_at_pos_phone',
			'trajectory_points_phone_at_pos'
		]);
		expect(await isSeeded(f.deps)).toBe(true);
	}, 120_000);

	it('decides every colour exactly as a recolour from the stored facts would (same colour, reasons and audited fact ids)', async () => {
		const out = await seedCity(f.deps, { residents: 1000 });
		expect(out.evaluatedFrom).toBe(isPostgres(f.deps.db) ? 'database' : 'generated facts');
		const now = f.deps.clock();
		const engine = await loadEngine(f.deps.db, now);
		const refs = await allResidents(f.deps);
		expect(refs.length).toBe(1000);
		const facts = await loadPersonFacts(f.deps.db, refs, now);
		const audit = new Map(
			(await f.deps.db.selectFrom('resident_colour_events').select(['ref', 'colour', 'reasons_json', 'facts_json', 'actor']).execute()).map(
				(r) => [r.ref, r]
			)
		);
		const colours = new Map(
			(await f.deps.db.selectFrom('resident_colours').select(['ref', 'colour', 'reasons_json']).execute()).map((r) => [r.ref, r])
		);
		let points = 0;
		const seen = new Set<string>();
		for (const ref of refs) {
			const ev = engine.evaluate(facts.get(ref)!, Math.floor(now / 1000));
			points += facts.get(ref)!.trajectory.length;
			seen.add(ev.colour);
			const a = audit.get(ref)!;
			expect({
				colour: a.colour,
				reasons: JSON.parse(a.reasons_json) as unknown,
				facts: JSON.parse(a.facts_json) as unknown,
				actor: a.actor
			}).toEqual({ colour: ev.colour, reasons: ev.reasons, facts: ev.factsUsed, actor: 'system/seed' });
			expect(colours.get(ref)).toEqual({ ref, colour: ev.colour, reasons_json: JSON.stringify(ev.reasons) });
		}
		// the comparison means something: trajectories were loaded and all three colours occur
		expect(points).toBeGreaterThan(10_000);
		expect([...seen].sort()).toEqual(['green', 'red', 'yellow']);
	}, 120_000);
});
