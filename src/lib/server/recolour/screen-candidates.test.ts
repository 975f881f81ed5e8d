/**
 * The screen of a case import's candidates (screen-candidates.ts): the range scans find everyone who shared the case's
 * cell; only those whose slice of points gives a qualifying match with the new case are re-evaluated — unless their
 * stored colour rests on a companion or co-visit reason and the case is not new (a changed case may take it away),
 * then they always are.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { declaredResident } from '../../testing/declared-resident.js';
import { idHmac } from '../issuer/people.js';
import { pushRecords } from '../sources/push.js';
import { upsertCases } from '../store/facts-import.js';
import { affectedResidents } from './affected.js';
import type { ScreenStats } from './screen-candidates.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const ZHANG = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const LI = { name: '李娜', id: '440304198511124567', phone: '13900139000', region: '440304' };
const WANG = { name: '王芳', id: '440306197805207892', phone: '13700137000', region: '440306' };
const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);
const colourOf = async (id: string) =>
	await f.deps.db.selectFrom('resident_colours').select(['colour', 'reasons_json']).where('ref', '=', ref(id)).executeTakeFirstOrThrow();

/** `minutes` known only to cell C1 (800 m), then a fix far away */
const inCell = (phone: string, t: number, minutes: number) => [
	{ phone, at: iso(t), lat: 22.5405, lon: 114.06, cell: 'C1', accuracyM: 800 },
	{ phone, at: iso(t + minutes * MIN), lat: 22.8, lon: 114.4, accuracyM: 10 }
];

/** Stores `id` as yellow for the companion rule (from a match the test does not write). */
const holdCompanionReason = (id: string) =>
	f.deps.db
		.updateTable('resident_colours')
		.set({ colour: 'yellow', reasons_json: JSON.stringify(['spatiotemporal-companion']) })
		.where('ref', '=', ref(id))
		.execute();

async function setup(): Promise<number> {
	for (const p of [ZHANG, LI, WANG]) await declaredResident(f, p, device);
	const t = f.clock.now - 5 * 60 * MIN;
	// the case and 李娜 40 min in the cell (× coarseWeight 0.5 = 20 min ≥ 10); 张伟 10 min (5 weighted min)
	await pushRecords(
		f.deps,
		'trajectory',
		{ records: [...inCell(WANG.phone, t, 40), ...inCell(LI.phone, t, 40), ...inCell(ZHANG.phone, t, 10)] },
		'source/carrier/k'
	);
	f.clock.now += MIN;
	return t;
}

describe('screening a case import’s candidates', () => {
	it('re-evaluates who the new case can recolour, not everyone the range scans found', async () => {
		await setup();
		// what the range scans alone find, and what the screen keeps (the case is never screened)
		await f.deps.db
			.transaction()
			.execute((tx) =>
				upsertCases(tx, [{ id: 'probe', ref: ref(WANG.id), confirmedAt: f.clock.now - 30 * MIN, releasedAt: null }], f.clock.now)
			);
		const stats: ScreenStats = { found: 0, screened: 0, matched: 0 };
		const refs = [ref(WANG.id)];
		const kept = await affectedResidents(
			f.deps.db,
			{ refs: new Set(refs), phones: new Set(), caseRefs: new Set(refs), riskAreas: [] },
			f.clock.now,
			stats
		);
		expect(stats).toMatchObject({ found: 2, screened: 2, matched: 1 });
		expect([...kept].sort()).toEqual([ref(WANG.id), ref(LI.id)].sort());
		await f.deps.db.deleteFrom('cases').where('id', '=', 'probe').execute();

		const out = await pushRecords(
			f.deps,
			'cases',
			{ records: [{ idNumber: WANG.id, confirmedAt: iso(f.clock.now - 30 * MIN) }] },
			'source/health/k'
		);
		expect(out.recoloured).toEqual({ evaluated: 2, changed: 2 });
		expect((await colourOf(LI.id)).colour).toBe('yellow');
		expect((await colourOf(ZHANG.id)).colour).toBe('green');
	});

	it('keeps a candidate whose colour rests on a companion reason, so a changed case can take it away', async () => {
		await setup();
		// 张伟 yellow from an earlier version of this case (say, a wider window): his stored reason is the companion rule
		await f.deps.db
			.transaction()
			.execute((tx) =>
				upsertCases(tx, [{ id: 'earlier', ref: ref(WANG.id), confirmedAt: f.clock.now - 90 * MIN, releasedAt: null }], f.clock.now)
			);
		await holdCompanionReason(ZHANG.id);
		const out = await pushRecords(
			f.deps,
			'cases',
			{ records: [{ idNumber: WANG.id, confirmedAt: iso(f.clock.now - 30 * MIN) }] },
			'source/health/k'
		);
		// the case, 李娜 (matched) and 张伟 (kept unscreened): he is re-evaluated and turns green
		expect(out.recoloured).toEqual({ evaluated: 3, changed: 3 });
		expect(await colourOf(ZHANG.id)).toMatchObject({ colour: 'green' });
		expect((await colourOf(LI.id)).colour).toBe('yellow');
	});

	it('screens the holder of a companion reason too when the case is new: no decision can rest on it yet', async () => {
		await setup();
		// 张伟 yellow from another case: this one, never a case before, cannot take that away, and does not match him
		await holdCompanionReason(ZHANG.id);
		const out = await pushRecords(
			f.deps,
			'cases',
			{ records: [{ idNumber: WANG.id, confirmedAt: iso(f.clock.now - 30 * MIN) }] },
			'source/health/k'
		);
		// the case and 李娜 (matched); 张伟 screened out, his colour left as it was
		expect(out.recoloured).toEqual({ evaluated: 2, changed: 2 });
		expect((await colourOf(ZHANG.id)).colour).toBe('yellow');
		expect((await colourOf(LI.id)).colour).toBe('yellow');
	});
});
