/**
 * `tongxing seed` on a small city: every resident registered, evaluated once and audited; the demo identities
 * are in it with their colours; the trajectory indexes are rebuilt after the bulk load; seeding is detected.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { idHmac } from '../issuer/people.js';
import { DEMO_IDENTITIES } from './identities.js';
import { isSeeded, seedCity } from './seed-city.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const count = async (t: 'household_register' | 'resident_colours' | 'resident_colour_events' | 'trajectory_points' | 'phone_registry') =>
	Number((await f.deps.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

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
			const row = await f.deps.db.selectFrom('resident_colours').select('colour').where('ref', '=', idHmac(f.deps.hmacKey, 'resident', p.idNumber)).executeTakeFirstOrThrow();
			expect(row.colour).toBe(p.colour);
		}
		const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'trajectory_points'`.execute(f.deps.db);
		expect(indexes.rows.map((r) => r.name).sort()).toEqual(['trajectory_points_at', 'trajectory_points_grid_at', 'trajectory_points_phone_at']);
		expect(await isSeeded(f.deps)).toBe(true);
	}, 120_000);
});
