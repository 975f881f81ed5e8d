/**
 * `npm run federation`'s data (scripts/federation.ts): the two regions' demo cities share no ID number and no phone
 * (region 110100's city on Beijing's districts with its own ID range and demo identities, city/presets.ts); a
 * federated region's seed registers every resident for routing; and a commuter — a resident of B whose phone and
 * trajectory region A's carrier holds — is routed home: a positive test recorded in A reaches B and recolours them.
 */
import { describe, expect, it } from 'vitest';
import { validateResidentId } from '../lib/core/declaration/resident-id.js';
import { routingHash } from '../lib/core/federation/routing-hash.js';
import { federationFixture } from '../lib/testing/federation-fixture.js';
import { issuerFixture } from '../lib/testing/issuer-fixture.js';
import { deliverOutbox } from '../lib/server/federation/outbox.js';
import { pullAndApply } from '../lib/server/federation/inbox.js';
import { registerResidents } from '../lib/server/federation/registration.js';
import { pushRecords } from '../lib/server/sources/push.js';
import { generateCity } from './city/city.js';
import { cityPreset } from './city/presets.js';
import { COMMUTERS, commuterRecords } from './commuters.js';
import { seedCity } from './seed-city.js';

const START = Date.UTC(2026, 11, 7) / 1000;

function identities(region: string, residents: number) {
	const city = generateCity({ ...cityPreset(region), start: START, residents });
	const people = [...city.households()].flatMap((h) => h.members.map((m) => ({ id: m.idNumber, phone: m.phone, region: h.region })));
	return { city, people };
}

describe('the federation demo', { timeout: 120_000 }, () => {
	it('the two demo cities share no ID number and no phone; 110100’s are its own (Beijing districts, demo identities 1101…)', () => {
		const a = identities('440300', 2000);
		const b = identities('110100', 2000);
		const idsA = new Set(a.people.map((p) => p.id));
		const phonesA = new Set(a.people.flatMap((p) => (p.phone ? [p.phone] : [])));
		expect(new Set(b.people.map((p) => p.id)).size).toBe(2000);
		expect(b.people.filter((p) => idsA.has(p.id))).toEqual([]);
		expect(b.people.filter((p) => p.phone && phonesA.has(p.phone))).toEqual([]);
		expect(new Set(b.people.map((p) => p.region.slice(0, 4)))).toEqual(new Set(['1101']));
		expect(new Set(a.people.map((p) => p.region.slice(0, 4)))).toEqual(new Set(['4403']));
		for (const p of b.city.personas) {
			expect(p.idNumber).toMatch(/^1101/);
			expect(validateResidentId(p.idNumber, START * 1000).ok).toBe(true);
			expect(b.people.map((x) => x.id)).toContain(p.idNumber);
			expect(p.phone === null || p.phone.endsWith('1')).toBe(true);
		}
		// nobody in either city is a commuter
		for (const c of COMMUTERS) expect([...idsA, ...b.people.map((p) => p.id)]).not.toContain(c.idNumber);
	});

	it('a federated region’s seed registers every resident’s routing hash for the gateway', async () => {
		const f = await issuerFixture({ region: '110100' });
		try {
			f.deps.nationalIdKey = new Uint8Array(32).fill(7);
			const out = await seedCity(f.deps, { residents: 60 });
			const rows = await f.deps.db.selectFrom('fed_residents').select(['route_hash', 'registered_at']).execute();
			expect(rows).toHaveLength(60);
			expect(rows.every((r) => r.registered_at === null)).toBe(true); // the exchange job registers them
			const routes = new Set(rows.map((r) => r.route_hash));
			for (const p of out.personas) expect(routes.has(routingHash(f.deps.nationalIdKey, p.idNumber))).toBe(true);
		} finally {
			await f.close();
		}
	});

	it('a commuter’s positive test recorded where they work crosses to their home region and turns them red there', async () => {
		const x = await federationFixture();
		try {
			const records = commuterRecords(x.a.f.clock.now);
			// home (B): register + phone; work (A): phone + trajectory — what each region's sources push
			await pushRecords(x.b.f.deps, 'register', { records: records.home.register }, 'source:public-security');
			await pushRecords(x.b.f.deps, 'phones', { records: records.home.phones }, 'source:carrier');
			await pushRecords(x.a.f.deps, 'phones', { records: records.work.phones }, 'source:carrier');
			const traj = await pushRecords(x.a.f.deps, 'trajectory', { records: records.work.trajectory }, 'source:carrier');
			expect(traj).toMatchObject({ accepted: records.work.trajectory.length });
			await registerResidents(x.b.fed);
			const commuter = COMMUTERS[0]!;
			await pushRecords(
				x.a.f.deps,
				'tests',
				{ records: [{ idNumber: commuter.idNumber, sampledAt: new Date(x.a.f.clock.now - 3_600_000).toISOString(), result: 'positive' }] },
				'source:health'
			);
			expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 1, rejected: 0 });
			expect(await pullAndApply(x.b.fed, 100)).toMatchObject({ applied: 1 });
			const route = routingHash(x.nationalKey, commuter.idNumber);
			const { ref } = await x.b.f.deps.db
				.selectFrom('fed_residents')
				.select('ref')
				.where('route_hash', '=', route)
				.executeTakeFirstOrThrow();
			const colour = await x.b.f.deps.db.selectFrom('resident_colours').select('colour').where('ref', '=', ref).executeTakeFirst();
			expect(colour?.colour).toBe('red');
		} finally {
			await x.close();
		}
	});
});
