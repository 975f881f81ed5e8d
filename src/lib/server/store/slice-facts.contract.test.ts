/**
 * The slice of a case import's candidates' facts (store/recolour-facts.ts sliceFactsOf, read by
 * recolour/screen-candidates.ts) on every engine: SQLite always, PostgreSQL when TEST_DATABASE_URL is set — points
 * and visits in [from, until) only, the trajectory packed on SQLite and plain on PostgreSQL (unpackFacts gives the
 * same facts), a visit recorded by another region marked as its co-visit finding; a range per ref narrows the points
 * (SQLite; PostgreSQL reads the whole slice, which is also exact). And the reads around it: the range scans' first
 * and last time per phone, the phones' owners, which refs already have a case, facts without the trajectory.
 *
 *   TEST_DATABASE_URL=postgres://tongxing:tongxing@127.0.0.1:5432/tongxing npx vitest run src/lib/server/store/slice-facts.contract.test.ts
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineFixtures } from './engine-fixtures';
import { openDatabase, type OpenDatabase } from './open';
import { gridOf } from '../geo/grid';
import { anyReceivedVisitSince, packedFactsOf, phoneOwners, phoneTimesInCellIds, phoneTimesInCells, sliceFactsOf } from './recolour-facts';
import { refsWithCases } from './facts-import';
import { unpackFacts } from '../../core/rules/packed-facts';

const T0 = 1_767_225_600_123;
const MIN = 60_000;

const engines = engineFixtures('slice').map((f) => ({ ...f, name: f.engine }));

for (const engine of engines) {
	describe(`slice of facts: ${engine.name}`, { timeout: 30_000 }, () => {
		const opened: OpenDatabase[] = [];
		afterEach(async () => {
			await Promise.all(opened.splice(0).map((h) => h.close()));
			await engine.cleanup();
		});

		it('reads points and visits in [from, until) only', async () => {
			const h = await openDatabase(engine.fresh());
			opened.push(h);
			const db = h.db;
			await db.insertInto('phone_registry').values({ phone_hmac: 'ph-a', id_hmac: 'ref-a', updated_at: T0 }).execute();
			const pt = (at: number, cell: string | null) => ({
				phone_hmac: 'ph-a',
				at,
				lat: 22.545,
				lon: 114.055,
				cell,
				accuracy_m: cell ? 800 : 10,
				grid: gridOf(22.545, 114.055)
			});
			const from = T0;
			const until = T0 + 60 * MIN;
			await db
				.insertInto('trajectory_points')
				.values([pt(from - MIN, null), pt(from, null), pt(from + 30 * MIN, 'C1'), pt(until, null)])
				.execute();
			await db
				.insertInto('venue_visits')
				.values([
					{ id: 'v-before', ref: 'ref-a', venue_id: 'v1', at: from - MIN },
					{ id: 'v-in', ref: 'ref-a', venue_id: 'v1', at: from + 10 * MIN },
					{ id: 'v-fed', ref: 'ref-a', venue_id: 'v2', at: from + 20 * MIN, source_region: '110000' },
					{ id: 'v-at-until', ref: 'ref-a', venue_id: 'v1', at: until }
				])
				.execute();
			const [slice, ...rest] = await sliceFactsOf(db, ['ref-a'], from, until);
			expect(rest).toEqual([]);
			const facts = unpackFacts(slice!);
			expect(facts.ref).toBe('ref-a');
			expect(facts.trajectory.map((p) => [p.at, p.cell])).toEqual([
				[Math.floor(from / 1000), undefined],
				[Math.floor((from + 30 * MIN) / 1000), 'C1']
			]);
			expect(facts.visits).toEqual([
				{ id: 'visit:v-in', venueId: 'v1', at: Math.floor((from + 10 * MIN) / 1000) },
				{ id: 'visit:v-fed', venueId: 'v2', at: Math.floor((from + 20 * MIN) / 1000), coVisitFound: true }
			]);
			expect(await sliceFactsOf(db, [], from, until)).toEqual([]);

			// a range per ref: [from + 30 min, until) on SQLite; the whole slice is a superset, and what PostgreSQL reads
			const narrowed = unpackFacts(
				(await sliceFactsOf(db, ['ref-a'], from, until, new Map([['ref-a', { lo: from + 30 * MIN, hi: until }]])))[0]!
			);
			expect(narrowed.trajectory.map((p) => p.at)).toEqual(
				engine.engine === 'sqlite'
					? [Math.floor((from + 30 * MIN) / 1000)]
					: [Math.floor(from / 1000), Math.floor((from + 30 * MIN) / 1000)]
			);

			// the range scans' first and last point per phone, and the owners
			expect(await phoneTimesInCells(db, [gridOf(22.545, 114.055)], from, until + 1)).toEqual([{ phone: 'ph-a', lo: from, hi: until }]);
			expect(await phoneTimesInCellIds(db, ['C1', 'C2'], from - MIN, until + 1)).toEqual([
				{ phone: 'ph-a', lo: from + 30 * MIN, hi: from + 30 * MIN }
			]);
			expect(await phoneTimesInCellIds(db, ['C2'], from - MIN, until + 1)).toEqual([]);
			expect(await phoneOwners(db, ['ph-a', 'ph-b'])).toEqual([{ phone: 'ph-a', ref: 'ref-a' }]);
			expect(await anyReceivedVisitSince(db, from)).toBe(true);
			expect(await anyReceivedVisitSince(db, from + 30 * MIN)).toBe(false);

			// facts without the trajectory (the sliced evaluation brings its own), and refs that already have a case
			const [small] = await packedFactsOf(db, ['ref-a'], from - 2 * MIN, { trajectory: false });
			expect(unpackFacts(small!).trajectory).toEqual([]);
			expect(unpackFacts(small!).visits).toHaveLength(4);
			await db.insertInto('cases').values({ id: 'c1', ref: 'ref-a', confirmed_at: T0, released_at: null, received_at: T0 }).execute();
			expect([...(await db.transaction().execute((tx) => refsWithCases(tx, ['ref-a', 'ref-b'])))]).toEqual(['ref-a']);
		});
	});
}
