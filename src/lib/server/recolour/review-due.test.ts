/**
 * Colours that change with time alone are re-evaluated when their time comes (review-due.ts): a close contact
 * whose 7-day hold ends turns green at exactly the stored review time, through the normal path (audit entry
 * with actor system/review, new code, old code ids on the status list); nothing happens a second earlier; a
 * resident whose review passes without a colour change gets no audit row, only the next review time; running
 * the job twice changes nothing more.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toBase64Url } from '../../core/bytes.js';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { declaredResident } from '../../testing/declared-resident.js';
import { accountForPhone } from '../issuer/accounts.js';
import { submitDeclaration } from '../issuer/declare.js';
import { myCodes } from '../issuer/my-codes.js';
import { idHmac } from '../issuer/people.js';
import { pushRecords } from '../sources/push.js';
import { REVIEW_ACTOR, dueRefs, reviewDue, scheduleReview } from './review-due.js';
import { setDeviceKey } from '../store/accounts.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const ZHANG = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const LI = { name: '李娜', id: '440304198511124567', phone: '13900139000', region: '440304' };
const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
const H = 3_600_000;
const D = 24 * H;
const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);

const declared = (p: typeof ZHANG) => declaredResident(f, p, device);

/** 张伟 named a close contact of 李娜, exposed `agoMs` ago (whole seconds); with `tests` negative tests a day apart after it. */
async function closeContact(agoMs: number, tests: number) {
	const exposedAt = Math.floor((f.clock.now - agoMs) / 1000) * 1000;
	await pushRecords(
		f.deps,
		'relations',
		{ records: [{ idNumber: ZHANG.id, contactOf: LI.id, kind: 'close', exposedAt: iso(exposedAt) }] },
		'source/public-security/k'
	);
	if (tests > 0) {
		const records = Array.from({ length: tests }, (_, i) => ({
			idNumber: ZHANG.id,
			sampledAt: iso(exposedAt + (i + 1) * D - 12 * H),
			result: 'negative'
		}));
		await pushRecords(f.deps, 'tests', { records }, 'source/health/k');
	}
	return exposedAt;
}

const colourRow = (r: string) =>
	f.deps.db.selectFrom('resident_colours').select(['colour', 'reasons_json', 'review_at']).where('ref', '=', r).executeTakeFirstOrThrow();
const events = (r: string) => f.deps.db.selectFrom('resident_colour_events').selectAll().where('ref', '=', r).orderBy('id').execute();

describe('review of colours that change with time', () => {
	it('a close contact whose hold ends turns green at the review time: audit entry, new code, old code ids revoked; not a second earlier; idempotent', async () => {
		const zhang = await declared(ZHANG);
		// exposed 6 days ago, all five quarantine tests done: only the 7-day hold keeps the code red
		const exposedAt = await closeContact(6 * D, 5);
		const holdEnd = exposedAt + 7 * D;
		expect(await colourRow(ref(ZHANG.id))).toMatchObject({ colour: 'red', review_at: holdEnd });
		const redCodes = (await myCodes(f.deps, zhang)).people[0]!.codes;
		expect(redCodes.map((c) => c.colour)).toEqual(['red', 'red']);
		const before = await events(ref(ZHANG.id));

		f.clock.now = holdEnd - 1000;
		expect(await dueRefs(f.deps.db, f.clock.now, 10)).toEqual([]);
		expect(await reviewDue(f.deps)).toMatchObject({ due: 0, changed: 0 });
		expect(await events(ref(ZHANG.id))).toEqual(before);

		f.clock.now = holdEnd;
		expect(await reviewDue(f.deps)).toMatchObject({ due: 1, evaluated: 1, changed: 1, transitions: { 'red→green': 1 }, codesIssued: 1 });
		const after = await events(ref(ZHANG.id));
		expect(after).toHaveLength(before.length + 1);
		expect(after.at(-1)).toMatchObject({ colour: 'green', previous_colour: 'red', actor: REVIEW_ACTOR, at: holdEnd });
		expect(await colourRow(ref(ZHANG.id))).toEqual({ colour: 'green', reasons_json: '[]', review_at: null });
		const revoked = await f.deps.db
			.selectFrom('status_entries')
			.select('code_id')
			.where(
				'code_id',
				'in',
				redCodes.map((c) => c.codeId)
			)
			.execute();
		expect(revoked).toHaveLength(redCodes.length);
		expect((await myCodes(f.deps, zhang)).people[0]!.codes.map((c) => c.colour)).toEqual(['green', 'green']);

		// again at the same time, and a minute later: nothing is due, nothing is written
		expect(await reviewDue(f.deps)).toMatchObject({ due: 0, changed: 0 });
		f.clock.now += 60_000;
		expect(await reviewDue(f.deps)).toMatchObject({ due: 0, changed: 0 });
		expect(await events(ref(ZHANG.id))).toEqual(after);
	});

	it('a review that does not change the colour writes no audit row, only the next review time', async () => {
		await declared(ZHANG);
		// no tests: after the hold the code stays red until the exposure ages out of the 14-day look-back
		const exposedAt = await closeContact(2 * D, 0);
		expect(await colourRow(ref(ZHANG.id))).toMatchObject({ colour: 'red', review_at: exposedAt + 7 * D });
		const before = await events(ref(ZHANG.id));

		f.clock.now = exposedAt + 7 * D;
		expect(await reviewDue(f.deps)).toMatchObject({ due: 1, evaluated: 1, changed: 0 });
		expect(await events(ref(ZHANG.id))).toEqual(before);
		const agedOut = exposedAt + 14 * D + 1000;
		expect(await colourRow(ref(ZHANG.id))).toEqual({ colour: 'red', reasons_json: '["close-contact"]', review_at: agedOut });
		expect(await reviewDue(f.deps)).toMatchObject({ due: 0 });

		f.clock.now = agedOut;
		expect(await reviewDue(f.deps)).toMatchObject({ due: 1, changed: 1, transitions: { 'red→green': 1 } });
		expect((await events(ref(ZHANG.id))).at(-1)).toMatchObject({ colour: 'green', actor: REVIEW_ACTOR });
	});

	it('a declaration stores its review time too: a fever ages out after 3 days', async () => {
		const id = await accountForPhone(f.deps, ZHANG.phone, f.clock.now);
		await setDeviceKey(f.deps.db, id, toBase64Url(device.publicKey));
		await submitDeclaration(
			f.deps,
			{ id },
			{
				name: ZHANG.name,
				idNumber: ZHANG.id,
				phone: ZHANG.phone,
				region: ZHANG.region,
				addressDetail: '1 号',
				temperature: 38.2,
				symptoms: ['fever'],
				travel: []
			}
		);
		const row = await colourRow(ref(ZHANG.id));
		expect(row.colour).toBe('yellow');
		const declaredAt = Math.floor(f.clock.now / 1000) * 1000;
		expect(row.review_at).toBe(declaredAt + 3 * D + 1000);
		f.clock.now = row.review_at!;
		expect(await reviewDue(f.deps)).toMatchObject({ due: 1, changed: 1, transitions: { 'yellow→green': 1 } });
	});

	it('works in bounded batches, earliest first', async () => {
		await declared(ZHANG);
		await declared(LI);
		await f.deps.db
			.updateTable('resident_colours')
			.set({ review_at: f.clock.now - 2000 })
			.where('ref', '=', ref(LI.id))
			.execute();
		await f.deps.db
			.updateTable('resident_colours')
			.set({ review_at: f.clock.now - 1000 })
			.where('ref', '=', ref(ZHANG.id))
			.execute();
		expect(await dueRefs(f.deps.db, f.clock.now, 1)).toEqual([ref(LI.id)]);
		// both green with nothing pending: reviewed one per batch, no change, review times cleared
		expect(await reviewDue(f.deps, { batch: 1 })).toMatchObject({ due: 2, evaluated: 2, changed: 0 });
		expect(await dueRefs(f.deps.db, f.clock.now, 10)).toEqual([]);
		expect((await colourRow(ref(LI.id))).review_at).toBeNull();
	});

	it('the scheduler runs at start, once per window across instances, and logs counts only', async () => {
		await declared(ZHANG);
		const exposedAt = await closeContact(6 * D, 5);
		f.clock.now = exposedAt + 7 * D;
		const logs: string[] = [];
		const stop = scheduleReview(f.deps, 60_000, (m) => logs.push(m));
		await vi.waitFor(async () => expect((await colourRow(ref(ZHANG.id))).colour).toBe('green'));
		stop();
		expect(logs).toEqual([expect.stringMatching(/^colour review: 1 due, 1 changed \{"red→green":1\} in \d+ ms$/)]);
		// a second instance in the same minute does not run (the window is claimed)
		await f.deps.db.updateTable('resident_colours').set({ review_at: f.clock.now }).where('ref', '=', ref(ZHANG.id)).execute();
		const stop2 = scheduleReview(f.deps, 60_000, (m) => logs.push(m));
		await new Promise((r) => setTimeout(r, 200));
		stop2();
		expect((await colourRow(ref(ZHANG.id))).review_at).toBe(f.clock.now);
	});
});
