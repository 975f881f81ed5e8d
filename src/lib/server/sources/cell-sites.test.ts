/**
 * Trajectory points that name their serving cell build the cell table (migration 008) the precise companion rule
 * reads (src/lib/core/rules/serving-cells.ts): position as reported, the smallest reported radius; the cell id
 * travels with the point into the rules' facts; a GPS fix in a confirmed case's cell makes a companion at
 * coarseWeight (DEFAULT_RULES: half the time).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { idHmac } from '../issuer/people.js';
import { loadPersonFacts, loadWorldFacts } from '../recolour/load-facts.js';
import { pushRecords } from './push.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const CASE = { id: '440305199003071236', phone: '13800138000' };
const NEAR = { id: '440304198511124567', phone: '13900139000' };
const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);
const MIN = 60_000;

describe('cell sites', () => {
	it('are learned from points with a cell id, keep the smallest radius, and reach the rules with the points', async () => {
		const t = f.clock.now - 5 * 60 * MIN;
		await pushRecords(
			f.deps,
			'trajectory',
			{
				records: [
					{ phone: CASE.phone, at: iso(t), lat: 22.54, lon: 114.06, cell: '46000-1234-5678', accuracyM: 600 },
					{ phone: CASE.phone, at: iso(t + 30 * MIN), lat: 22.54, lon: 114.06, cell: '46000-1234-5678', accuracyM: 450 },
					{ phone: NEAR.phone, at: iso(t), lat: 22.541, lon: 114.061, accuracyM: 15 }
				]
			},
			'source/carrier/k'
		);
		await pushRecords(
			f.deps,
			'trajectory',
			{ records: [{ phone: NEAR.phone, at: iso(t + 60 * MIN), lat: 22.54, lon: 114.06, cell: '46000-1234-5678', accuracyM: 500 }] },
			'source/carrier/k'
		);
		expect(await f.deps.db.selectFrom('cell_sites').selectAll().execute()).toEqual([
			{ cell: '46000-1234-5678', lat: 22.54, lon: 114.06, radius_m: 450 }
		]);
		expect((await loadWorldFacts(f.deps.db, f.clock.now)).cells).toEqual([
			{ id: '46000-1234-5678', lat: 22.54, lon: 114.06, radiusM: 450 }
		]);
		await pushRecords(f.deps, 'phones', { records: [{ phone: NEAR.phone, idNumber: NEAR.id }] }, 'source/public-security/k');
		const facts = (await loadPersonFacts(f.deps.db, [ref(NEAR.id)], f.clock.now)).get(ref(NEAR.id))!;
		expect(facts.trajectory.map((p) => p.cell ?? null)).toEqual([null, '46000-1234-5678']);
	});

	it.each([
		['150 m from the antenna of a 400 m cell', 22.5418, 114.0606, 400],
		// beyond the neighbouring storage grid cells (0.01°): the new case's candidates must reach the cell's radius
		['1.45 km from the antenna of a 1.5 km cell', 22.5405 - 1450 / 111_195, 114.06, 1500]
	])('make a GPS fix in a confirmed case’s cell a spatiotemporal companion (time at coarseWeight): %s', async (_n, lat, lon, radius) => {
		const t = f.clock.now - 5 * 60 * MIN;
		const cell = { lat: 22.5405, lon: 114.06, cell: 'C1', accuracyM: radius };
		await pushRecords(
			f.deps,
			'phones',
			{
				records: [
					{ phone: CASE.phone, idNumber: CASE.id },
					{ phone: NEAR.phone, idNumber: NEAR.id }
				]
			},
			'source/public-security/k'
		);
		await pushRecords(
			f.deps,
			'trajectory',
			{
				records: [
					// the case: known only by cell C1 for an hour; the other phone: a GPS fix 150 m from C1's antenna
					{ phone: CASE.phone, at: iso(t), ...cell },
					{ phone: CASE.phone, at: iso(t + 60 * MIN), lat: 22.7, lon: 114.3, accuracyM: 10 },
					{ phone: NEAR.phone, at: iso(t), lat, lon, accuracyM: 10 },
					{ phone: NEAR.phone, at: iso(t + 60 * MIN), lat: 22.8, lon: 114.4, accuracyM: 10 }
				]
			},
			'source/carrier/k'
		);
		await pushRecords(f.deps, 'cases', { records: [{ idNumber: CASE.id, confirmedAt: iso(f.clock.now - 60 * MIN) }] }, 'source/health/k');
		const colour = await f.deps.db.selectFrom('resident_colours').selectAll().where('ref', '=', ref(NEAR.id)).executeTakeFirst();
		expect(colour).toMatchObject({ colour: 'yellow' });
		expect(JSON.parse(colour!.reasons_json)).toEqual(['spatiotemporal-companion']);
	});
});
