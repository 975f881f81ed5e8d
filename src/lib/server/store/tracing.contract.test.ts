/**
 * The contact-tracing reads (store/tracing.ts) on every engine: SQLite always, PostgreSQL when TEST_DATABASE_URL is
 * set (a fresh schema per test) — window bounds (from inclusive, until exclusive for a person's own rows; a venue's
 * visitors inclusive on both ends), limits, the guards' scans joined to people through their codes, the box and
 * cell look-ups, first positive samples, and the contacts already named.
 *
 *   TEST_DATABASE_URL=postgres://tongxing:tongxing@127.0.0.1:5432/tongxing npx vitest run src/lib/server/store/tracing.contract.test.ts
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineFixtures } from './engine-fixtures';
import { openDatabase, type OpenDatabase } from './open';
import { cellsCovering, gridOf } from '../geo/grid';
import {
	caseById,
	contactsOfCase,
	firstPositiveSamples,
	latestCases,
	phonesInBox,
	phonesInCellsIn,
	pointsOfPhonesIn,
	pointsOfRefIn,
	visitsAtVenue,
	visitsOfRefIn
} from './tracing';

const T0 = 1_767_225_600_123;
const MIN = 60_000;

const engines = engineFixtures('tracing').map((f) => ({ ...f, name: f.engine }));

for (const engine of engines) {
	describe(`tracing reads: ${engine.name}`, { timeout: 30_000 }, () => {
		const opened: OpenDatabase[] = [];
		afterEach(async () => {
			await Promise.all(opened.splice(0).map((h) => h.close()));
			await engine.cleanup();
		});
		async function world() {
			const h = await openDatabase(engine.fresh());
			opened.push(h);
			const db = h.db;
			await db
				.insertInto('cases')
				.values([
					{
						id: 'c1',
						ref: 'case-ref',
						confirmed_at: T0,
						released_at: null,
						received_at: T0,
						onset_at: T0 - 3 * 1440 * MIN,
						isolated_at: null
					},
					{ id: 'c2', ref: 'other-case', confirmed_at: T0 + MIN, released_at: null, received_at: T0, onset_at: null, isolated_at: null }
				])
				.execute();
			await db
				.insertInto('health_tests')
				.values([
					{ id: 't1', ref: 'case-ref', sampled_at: T0 - 6 * 60 * MIN, result: 'positive', received_at: T0 },
					{ id: 't2', ref: 'case-ref', sampled_at: T0 - 2 * 60 * MIN, result: 'positive', received_at: T0 },
					{ id: 't3', ref: 'case-ref', sampled_at: T0 - 9 * 60 * MIN, result: 'negative', received_at: T0 }
				])
				.execute();
			await db
				.insertInto('phone_registry')
				.values([
					{ phone_hmac: 'ph-case', id_hmac: 'case-ref', updated_at: T0 },
					{ phone_hmac: 'ph-a', id_hmac: 'ref-a', updated_at: T0 }
				])
				.execute();
			const pt = (phone: string, at: number, lat: number, lon: number, cell: string | null) => ({
				phone_hmac: phone,
				at,
				lat,
				lon,
				cell,
				accuracy_m: cell ? 800 : 10,
				grid: gridOf(lat, lon)
			});
			await db
				.insertInto('trajectory_points')
				.values([
					pt('ph-case', T0 - 60 * MIN, 22.545, 114.055, null),
					pt('ph-case', T0 - 30 * MIN, 22.545, 114.055, 'cell-1'),
					pt('ph-a', T0 - 55 * MIN, 22.5451, 114.0551, null),
					pt('ph-a', T0 - 25 * MIN, 22.6, 114.2, 'cell-1'),
					pt('ph-far', T0 - 55 * MIN, 22.7, 114.3, null)
				])
				.execute();
			await db.insertInto('venues').values({ id: 'v1', name: '市场', region: '440300', policy_json: '{}', created_at: T0 }).execute();
			await db.insertInto('guard_devices').values({ id: 'd1', venue_id: 'v1', token_hmac: 't', created_at: T0 }).execute();
			await db.insertInto('accounts').values({ id: 'acc', phone_hmac: 'acc-phone', phone_enc: null, created_at: T0 }).execute();
			await db
				.insertInto('people')
				.values({
					id: 'p1',
					account_id: 'acc',
					id_hmac: 'ref-b',
					id_masked: 'x',
					id_suffix: 'x',
					name_masked: '王*',
					region: '440300',
					relation: 'self',
					consent_evidence: null,
					created_at: T0
				})
				.execute();
			await db
				.insertInto('codes')
				.values({
					code_id: 'code-b',
					person_id: 'p1',
					kid: 'k',
					iat: T0,
					exp: T0 + 1440 * MIN,
					colour: 'green',
					reasons_json: '[]',
					kind: 'phone',
					holder_key: null,
					credential: 'c',
					status: 'live',
					created_at: T0,
					revoked_at: null
				})
				.execute();
			await db
				.insertInto('scan_events')
				.values({
					event_id: 'e1',
					device_id: 'd1',
					seq: 1,
					prev_hash: 'p',
					hash: 'h',
					code_id: 'code-b',
					verdict: 'valid',
					reason: 'ok',
					scanned_at: T0 - 100 * MIN,
					received_at: T0,
					venue_id: 'v1',
					registration_name: null,
					registration_phone_enc: null,
					registration_at: null
				})
				.execute();
			await db
				.insertInto('venue_visits')
				.values([
					{ id: 'vv1', ref: 'case-ref', venue_id: 'v1', at: T0 - 110 * MIN },
					{ id: 'vv2', ref: 'ref-c', venue_id: 'v1', at: T0 - 130 * MIN },
					{ id: 'vv3', ref: 'ref-d', venue_id: 'v1', at: T0 - 90 * MIN }
				])
				.execute();
			await db
				.insertInto('contacts')
				.values([
					{ id: 'k1', ref: 'ref-a', kind: 'secondary', to_ref: 'case-ref', exposed_at: T0, received_at: T0 },
					{ id: 'k2', ref: 'ref-a', kind: 'close', to_ref: 'case-ref', exposed_at: T0, received_at: T0 },
					{ id: 'k3', ref: 'ref-c', kind: 'secondary', to_ref: 'case-ref', exposed_at: T0, received_at: T0 },
					{ id: 'k4', ref: 'ref-z', kind: 'close', to_ref: 'other-case', exposed_at: T0, received_at: T0 }
				])
				.execute();
			return db;
		}

		it('cases newest first, by id; first positive samples', async () => {
			const db = await world();
			expect((await latestCases(db, 10)).map((c) => c.id)).toEqual(['c2', 'c1']);
			expect((await latestCases(db, 1)).map((c) => c.id)).toEqual(['c2']);
			expect(await caseById(db, 'c1')).toMatchObject({ ref: 'case-ref', onset_at: T0 - 3 * 1440 * MIN, isolated_at: null });
			expect(await caseById(db, 'nope')).toBeUndefined();
			expect(await firstPositiveSamples(db, ['case-ref', 'ref-a'])).toEqual(new Map([['case-ref', T0 - 6 * 60 * MIN]]));
		});

		it("a person's visits and scans in the window; a venue's visitors and scanned codes around a time", async () => {
			const db = await world();
			expect(await visitsOfRefIn(db, 'case-ref', T0 - 110 * MIN, T0, 10)).toEqual([
				{ ref: 'case-ref', venue_id: 'v1', at: T0 - 110 * MIN }
			]);
			expect(await visitsOfRefIn(db, 'case-ref', T0 - 200 * MIN, T0 - 110 * MIN, 10)).toEqual([]);
			expect(await visitsOfRefIn(db, 'ref-b', T0 - 200 * MIN, T0, 10)).toEqual([{ ref: 'ref-b', venue_id: 'v1', at: T0 - 100 * MIN }]);
			const around = await visitsAtVenue(db, 'v1', T0 - 130 * MIN, T0 - 90 * MIN, 10);
			expect(around.map((v) => v.ref).sort()).toEqual(['case-ref', 'ref-b', 'ref-c', 'ref-d']);
			expect((await visitsAtVenue(db, 'v1', T0 - 129 * MIN, T0 - 91 * MIN, 10)).map((v) => v.ref).sort()).toEqual(['case-ref', 'ref-b']);
		});

		it('points of a person and of phones in the window; phones in a box and in cells; limits', async () => {
			const db = await world();
			const own = await pointsOfRefIn(db, 'case-ref', T0 - 60 * MIN, T0, 10);
			expect(own.map((p) => [p.phone_hmac, p.at, p.cell])).toEqual([
				['ph-case', T0 - 60 * MIN, null],
				['ph-case', T0 - 30 * MIN, 'cell-1']
			]);
			expect(own[0]).toMatchObject({ ref: 'case-ref', lat: 22.545, lon: 114.055, accuracy_m: 10 });
			expect(await pointsOfRefIn(db, 'case-ref', T0 - 60 * MIN, T0, 1)).toHaveLength(1);
			const box = { west: 114.05, east: 114.06, south: 22.54, north: 22.55 };
			expect((await phonesInBox(db, cellsCovering(box), box, T0 - 70 * MIN, T0, 10)).sort()).toEqual(['ph-a', 'ph-case']);
			// later, only the case's cell point is in the box (ph-a's is 20 km away)
			expect(await phonesInBox(db, cellsCovering(box), box, T0 - 50 * MIN, T0, 10)).toEqual(['ph-case']);
			expect(await phonesInBox(db, cellsCovering(box), box, T0 - 20 * MIN, T0, 10)).toEqual([]);
			expect((await phonesInCellsIn(db, ['cell-1'], T0 - 40 * MIN, T0, 10)).sort()).toEqual(['ph-a', 'ph-case']);
			expect(await phonesInCellsIn(db, ['cell-1'], T0 - 40 * MIN, T0, 1)).toHaveLength(1);
			const theirs = await pointsOfPhonesIn(db, ['ph-a', 'ph-far'], T0 - 60 * MIN, T0, 10);
			// ph-far has no owner in the registry: nobody to name
			expect(theirs.map((p) => [p.ref, p.at]).sort()).toEqual([
				['ref-a', T0 - 55 * MIN],
				['ref-a', T0 - 25 * MIN]
			]);
		});

		it('the contacts already named for a case: the closest kind', async () => {
			const db = await world();
			expect(await contactsOfCase(db, 'case-ref')).toEqual(
				new Map([
					['ref-a', 'close'],
					['ref-c', 'secondary']
				])
			);
		});
	});
}
