/**
 * The infectious window on the server's path: a confirmed case pushed with its onset recolours, through the
 * incremental candidate search (affected.ts) and the world index the live server builds, only the residents who
 * were with the case inside [onset − 4 days, confirmation) — the default rules' infectiousLookbackDays.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { declaredResident } from '../../testing/declared-resident.js';
import { idHmac } from '../issuer/people.js';
import { pushRecords } from '../sources/push.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const ZHANG = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const LI = { name: '李娜', id: '440304198511124567', phone: '13900139000', region: '440304' };
const WANG = { name: '王芳', id: '440306197805207892', phone: '13700137000', region: '440306' };
const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
const H = 3_600_000;
const D = 24 * H;
const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);

const declared = (p: typeof ZHANG) => declaredResident(f, p, device);

/** An hour together: both phones at the same spot every 15 minutes from `from`. */
const together = (a: typeof ZHANG, b: typeof ZHANG, from: number, lat: number, lon: number) =>
	[0, 1, 2, 3, 4].flatMap((k) => [
		{ phone: a.phone, at: iso(from + k * 15 * 60_000), lat, lon, accuracyM: 10 },
		{ phone: b.phone, at: iso(from + k * 15 * 60_000), lat, lon, accuracyM: 10 }
	]);

const colour = async (id: string) =>
	await f.deps.db.selectFrom('resident_colours').select(['colour', 'reasons_json']).where('ref', '=', ref(id)).executeTakeFirstOrThrow();

describe('a case imported with its onset', () => {
	it('recolours who was with the case 2 days before onset, not who was with it 6 days before', async () => {
		for (const p of [ZHANG, LI, WANG]) await declared(p);
		const onset = f.clock.now - 3 * D;
		const confirmed = f.clock.now - D;
		const records = [...together(WANG, ZHANG, onset - 6 * D, 22.545, 114.055), ...together(WANG, LI, onset - 2 * D, 22.555, 114.085)];
		await pushRecords(f.deps, 'trajectory', { records }, 'source/carrier/k');
		expect((await colour(ZHANG.id)).colour).toBe('green');
		expect((await colour(LI.id)).colour).toBe('green');

		f.clock.now += 60_000;
		const out = await pushRecords(
			f.deps,
			'cases',
			{ records: [{ idNumber: WANG.id, confirmedAt: iso(confirmed), onsetAt: iso(onset) }] },
			'source/health/k'
		);
		// the candidates: the case and 李娜; 张伟 met the case only outside its infectious window
		expect(out.recoloured).toEqual({ evaluated: 2, changed: 2 });
		expect(await colour(WANG.id)).toMatchObject({ colour: 'red' });
		expect(await colour(LI.id)).toEqual({ colour: 'yellow', reasons_json: JSON.stringify(['spatiotemporal-companion']) });
		expect((await colour(ZHANG.id)).colour).toBe('green');
	});

	it('without the onset, the window runs back 4 days from confirmation: both meetings are outside it', async () => {
		for (const p of [ZHANG, LI, WANG]) await declared(p);
		const confirmed = f.clock.now - D;
		const records = [
			...together(WANG, ZHANG, confirmed - 8 * D, 22.545, 114.055),
			...together(WANG, LI, confirmed - 4 * D - 2 * H, 22.555, 114.085)
		];
		await pushRecords(f.deps, 'trajectory', { records }, 'source/carrier/k');
		f.clock.now += 60_000;
		await pushRecords(f.deps, 'cases', { records: [{ idNumber: WANG.id, confirmedAt: iso(confirmed) }] }, 'source/health/k');
		expect((await colour(LI.id)).colour).toBe('green');
		// the onset, reported later, moves the window back: 李娜's meeting is inside it now
		f.clock.now += 60_000;
		await pushRecords(
			f.deps,
			'cases',
			{ records: [{ idNumber: WANG.id, confirmedAt: iso(confirmed), onsetAt: iso(confirmed - 2 * D) }] },
			'source/health/k'
		);
		expect((await colour(LI.id)).colour).toBe('yellow');
		expect((await colour(ZHANG.id)).colour).toBe('green');
	});

	it("the guards' scans are visits too: who scanned in where the case did, inside its window, is found and turns yellow", async () => {
		for (const p of [ZHANG, LI, WANG]) await declared(p);
		const onset = f.clock.now - 3 * D;
		const codeOf = async (id: string) =>
			(
				await f.deps.db
					.selectFrom('codes')
					.innerJoin('people', 'people.id', 'codes.person_id')
					.select('codes.code_id')
					.where('people.id_hmac', '=', ref(id))
					.executeTakeFirstOrThrow()
			).code_id;
		let seq = 0;
		const scan = async (id: string, venue: string, at: number) =>
			f.deps.db
				.insertInto('scan_events')
				.values({
					event_id: `e${++seq}`,
					device_id: 'd1',
					seq,
					prev_hash: '',
					hash: `h${seq}`,
					code_id: await codeOf(id),
					verdict: 'pass',
					reason: 'green',
					scanned_at: at,
					received_at: at,
					venue_id: venue,
					registration_name: null,
					registration_phone_enc: null,
					registration_at: null
				})
				.execute();
		for (const v of ['teahouse', 'mall'])
			await f.deps.db
				.insertInto('venues')
				.values({ id: v, name: v, region: '440300', policy_json: '{}', created_at: f.clock.now })
				.execute();
		await f.deps.db
			.insertInto('guard_devices')
			.values({ id: 'd1', venue_id: 'teahouse', token_hmac: 't', created_at: f.clock.now })
			.execute();
		// the case at the teahouse 2 days before onset (李娜 10 min later) and at the mall 6 days before (张伟 10 min later)
		await scan(WANG.id, 'teahouse', onset - 2 * D);
		await scan(LI.id, 'teahouse', onset - 2 * D + 10 * 60_000);
		await scan(WANG.id, 'mall', onset - 6 * D);
		await scan(ZHANG.id, 'mall', onset - 6 * D + 10 * 60_000);
		f.clock.now += 60_000;
		const out = await pushRecords(
			f.deps,
			'cases',
			{ records: [{ idNumber: WANG.id, confirmedAt: iso(f.clock.now - D), onsetAt: iso(onset) }] },
			'source/health/k'
		);
		expect(out.recoloured).toEqual({ evaluated: 2, changed: 2 });
		// both rules read the scans: the co-visit window, and the precise companion rule's scan stays (30 min together)
		expect(await colour(LI.id)).toEqual({ colour: 'yellow', reasons_json: JSON.stringify(['spatiotemporal-companion', 'venue-co-visit']) });
		expect((await colour(ZHANG.id)).colour).toBe('green');
	});
});
