/**
 * A spatio-temporal companion reason names the person's own place (issue 16: "时空伴随" gave nothing to check): the
 * evaluator keeps the person's point at the latest co-presence (~100 m, with its accuracy), and the served
 * explanation names it as the venue nearest to a good fix, else the district it lies in — never the case's place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { issuerFixture, T0, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { serveExplanations } from './explanation.js';
import { insertVenue } from '../store/venues.js';

let f: IssuerFixture | undefined;
afterEach(async () => {
	await f?.close();
	f = undefined;
});

const square = (w: number, s: number, d: number) => [
	[w, s],
	[w + d, s],
	[w + d, s + d],
	[w, s + d],
	[w, s]
];

async function world(): Promise<IssuerFixture> {
	f = await issuerFixture();
	const db = f.deps.db;
	await insertVenue(db, { id: 'V1', name: '东门海鲜市场', region: '440303', policy_json: '{}', created_at: T0 });
	await insertVenue(db, { id: 'V2', name: '东门地铁站', region: '440303', policy_json: '{}', created_at: T0 });
	await db
		.insertInto('venue_places')
		.values([
			{ venue_id: 'V1', lat: 22.55, lon: 114.12, radius_m: 50 },
			{ venue_id: 'V2', lat: 22.552, lon: 114.12, radius_m: 50 }
		])
		.execute();
	await db
		.insertInto('map_districts')
		.values({
			code: '440303',
			name_zh: '罗湖区',
			name_en: 'Luohu',
			geometry_json: JSON.stringify({ type: 'Polygon', coordinates: [square(114.1, 22.5, 0.1)] }),
			bbox_west: 114.1,
			bbox_south: 22.5,
			bbox_east: 114.2,
			bbox_north: 22.6,
			source: 'demo',
			updated_at: T0
		})
		.execute();
	return f;
}

const stored = (place: { kind: string; id: string }) =>
	JSON.stringify({ ruleVersion: 'v', path: [], events: [{ reason: 'spatiotemporal-companion', at: 1_796_000_000, place, endsAt: null }] });

describe('the companion reason names the person’s own place', () => {
	it('a good fix: the nearest venue within reach; a coarse one or no venue near: the district; outside: nothing', async () => {
		const { deps } = await world();
		const [fix, coarse, far, outside, venue] = await serveExplanations(deps.db, [
			stored({ kind: 'point', id: '22.550,114.121,20' }),
			stored({ kind: 'point', id: '22.550,114.121,900' }),
			stored({ kind: 'point', id: '22.580,114.180,20' }),
			stored({ kind: 'point', id: '23.100,114.121,20' }),
			stored({ kind: 'venue', id: 'V2' })
		]);
		expect(fix!.details[0]!.place).toEqual({ kind: 'near-venue', name: '东门海鲜市场' });
		expect(coarse!.details[0]!.place).toEqual({ kind: 'district', name: '罗湖区' });
		expect(far!.details[0]!.place).toEqual({ kind: 'district', name: '罗湖区' });
		expect(outside!.details[0]!.place).toBeUndefined();
		expect(venue!.details[0]!.place).toEqual({ kind: 'venue', name: '东门地铁站' });
	});
});
