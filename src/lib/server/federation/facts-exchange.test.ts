/**
 * The fact protocol between two regions and a gateway, in one process (docs/federation.md §Facts): a fact recorded
 * in A about B's resident recolours them in B with the source region named; and every bad input and fault of
 * issue 14 — forged and cross-region signatures, replayed and reordered batches, unknown people, bad fields, the
 * gateway down then up (exactly once), the receiver down, clock skew. The gateway's database is SQLite here, or
 * PostgreSQL when TEST_DATABASE_URL is set (like the storage contract suite).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../core/bytes.js';
import { signFactBatch } from '../../core/federation/fact-batch.js';
import type { FederatedFact } from '../../core/federation/fact.js';
import { routingHash } from '../../core/federation/routing-hash.js';
import { signRegionMessage } from '../../core/federation/region-message.js';
import { declaredResident } from '../../testing/declared-resident.js';
import { federationFixture, regionSigner, REGION_A, REGION_B, type FederationFixture } from '../../testing/federation-fixture.js';
import { nodeKeyPair } from '../crypto/node-ed25519.js';
import { DomainError } from '../domain-error.js';
import { pushHouseholdRegister, pushPhoneRegistry } from '../sources/sources.js';
import { pushRecords } from '../sources/push.js';
import { explanationsFor } from '../recolour/explanation.js';
import { purgeExpired } from '../store/retention.js';
import { acceptFactBatch, acceptRegistrations } from './gateway-facts.js';
import { deliverOutbox, RETRY_BASE_MS } from './outbox.js';
import { pullAndApply, UNKNOWN_SIGNER_HOLD_MS } from './inbox.js';
import { registerResidents } from './registration.js';
import { exchangeFacts } from './schedule-fact-exchange.js';

const ID_B = '11010519491231002X';
/** a person neither region registered (or, in one test, A's resident) */
const ID_C = '440303199002024566';
const NAME_B = '赵敏';
const HOUR = 3_600_000;

let x: FederationFixture;
beforeEach(
	async () => (x = await federationFixture({ ...(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL } : {}) })),
	// three databases, one of them a fresh PostgreSQL schema with every migration: slow on a loaded machine
	60_000
);
afterEach(() => x.close());

/** B's resident: in B's household register (so registered with the gateway), declared on a device in B. */
async function residentOfB(id = ID_B, name = NAME_B, phone = '13500000001'): Promise<string> {
	await pushHouseholdRegister(x.b.f.deps, { records: [{ idNumber: id, name, region: REGION_B }] });
	await pushPhoneRegistry(x.b.f.deps, { records: [{ phone, idNumber: id }] });
	await declaredResident(x.b.f, { name, id, phone, region: REGION_B }, { publicKey: nodeKeyPair(randomBytes(32)).publicKey });
	await registerResidents(x.b.fed);
	return routingHash(x.nationalKey, id);
}

const positiveTestInA = (id = ID_B, hoursAgo = 2) =>
	pushRecords(
		x.a.f.deps,
		'tests',
		{ records: [{ idNumber: id, sampledAt: new Date(x.a.f.clock.now - hoursAgo * HOUR).toISOString(), result: 'positive' }] },
		'source:health'
	);

const colourInB = async (id = ID_B) => {
	const person = await x.b.f.deps.db.selectFrom('people').selectAll().where('id_hmac', '=', refInB(id)).executeTakeFirstOrThrow();
	const codes = await x.b.f.deps.db.selectFrom('codes').select(['colour', 'status']).where('person_id', '=', person.id).execute();
	const colour = await x.b.f.deps.db.selectFrom('resident_colours').selectAll().where('ref', '=', person.id_hmac).executeTakeFirst();
	return { person, codes, colour };
};
const refInB = (_id: string) => refs.get(_id)!;
const refs = new Map<string, string>();
beforeEach(() => refs.clear());

async function rememberRef(id: string) {
	const row = await x.b.f.deps.db
		.selectFrom('fed_residents')
		.select('ref')
		.where('route_hash', '=', routingHash(x.nationalKey, id))
		.executeTakeFirstOrThrow();
	refs.set(id, row.ref);
}

const gwQueue = () => x.gw.db.selectFrom('gw_queue').selectAll().execute();
const outbox = () => x.a.f.deps.db.selectFrom('fed_outbox').selectAll().orderBy('seq').execute();

function fact(over: Partial<Record<string, unknown>> = {}): FederatedFact {
	return {
		id: `${REGION_A}:${toBase64Url(randomBytes(9))}`,
		rev: 0,
		region: REGION_A,
		kind: 'test-result',
		subject: routingHash(x.nationalKey, ID_B),
		recordedAt: Math.floor(x.a.f.clock.now / 1000),
		sampledAt: Math.floor(x.a.f.clock.now / 1000) - 3600,
		result: 'positive',
		...over
	};
}

const signedByA = (facts: FederatedFact[], at = x.a.f.clock.now) =>
	signFactBatch(x.signers.get(REGION_A)!, toBase64Url(randomBytes(9)), Math.floor(at / 1000), facts);

describe('a fact recorded in A about B’s resident', () => {
	it('reaches B through the gateway and recolours the person there: new code, old revoked, reasons naming region A', async () => {
		await residentOfB();
		await rememberRef(ID_B);
		const before = await colourInB();
		expect(before.colour?.colour).toBe('green');
		await positiveTestInA();
		// A keeps the fact (its own tables) and queues it: B's resident is not A's
		expect(await outbox()).toHaveLength(1);
		expect((await outbox())[0]!).toMatchObject({ state: 'pending', kind: 'test-result', rev: 0 });
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 1, rejected: 0 });
		expect((await gwQueue()).map((q) => q.to_region)).toEqual([REGION_B]);
		const pulled = await pullAndApply(x.b.fed);
		expect(pulled).toMatchObject({ applied: 1, duplicates: 0, rejected: [], changed: 1 });
		const after = await colourInB();
		expect(after.colour?.colour).toBe('red');
		expect(JSON.parse(after.colour!.reasons_json)).toEqual(['positive-test']);
		expect(after.codes.filter((c) => c.status === 'live').every((c) => c.colour === 'red')).toBe(true);
		expect(after.codes.some((c) => c.status === 'revoked' && c.colour === 'green')).toBe(true);
		// the stored fact keeps its source region; the history's actor and the explanation name it
		const test = await x.b.f.deps.db.selectFrom('health_tests').selectAll().where('ref', '=', refInB(ID_B)).executeTakeFirstOrThrow();
		expect(test.source_region).toBe(REGION_A);
		const event = await x.b.f.deps.db
			.selectFrom('colour_events')
			.selectAll()
			.where('person_id', '=', after.person.id)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(event.actor).toBe(`federation:${REGION_A}`);
		const explained = (await explanationsFor(x.b.f.deps.db, [after.person])).get(after.person.id);
		expect(explained?.details).toEqual([
			expect.objectContaining({ reason: 'positive-test', sourceRegions: [{ code: REGION_A, name: '深圳市' }] })
		]);
		// the gateway's queue is acknowledged
		expect((await gwQueue())[0]!.acked_at).not.toBeNull();
		// after the retention period the exchange's rows go (the fact itself stays in B's tables by their own rules)
		const later = x.a.f.clock.now + 22 * 86_400_000;
		await purgeExpired(x.a.f.deps.db, later);
		await purgeExpired(x.b.f.deps.db, later);
		await purgeExpired(x.gw.db, later);
		expect(await outbox()).toEqual([]);
		expect(await gwQueue()).toEqual([]);
		expect(await x.gw.db.selectFrom('gw_batches').selectAll().execute()).toEqual([]);
		expect(await x.b.f.deps.db.selectFrom('fed_inbox').selectAll().execute()).toEqual([]);
	});

	it('the exchange job publishes B’s revocations at once when a fact recoloured someone (not on quiet rounds)', async () => {
		await residentOfB();
		const published: string[] = [];
		const publishNow = () => {
			published.push('publish');
			return Promise.resolve('uploaded');
		};
		expect(await exchangeFacts(x.b.fed, publishNow)).toBeUndefined(); // registered already, nothing to apply
		expect(published).toEqual([]);
		await positiveTestInA();
		await exchangeFacts(x.a.fed, publishNow); // A sends; A recolours nobody of its own
		expect(published).toEqual([]);
		expect(await exchangeFacts(x.b.fed, publishNow)).toMatch(/applied 1, .*recoloured 1; revocations published/);
		expect(published).toEqual(['publish']);
	});

	it('a fact about A’s own resident stays in A (nothing queued); a register entry in A makes a resident of A', async () => {
		await pushHouseholdRegister(x.a.f.deps, { records: [{ idNumber: ID_C, name: '钱多', region: REGION_A }] });
		await positiveTestInA(ID_C);
		expect(await outbox()).toHaveLength(0);
	});

	it('a corrected fact is sent as a new revision; re-importing the same file sends nothing again', async () => {
		await residentOfB();
		const rec = { idNumber: ID_B, confirmedAt: new Date(x.a.f.clock.now - 5 * HOUR).toISOString() };
		await pushRecords(x.a.f.deps, 'cases', { records: [rec] }, 'source:health');
		await pushRecords(x.a.f.deps, 'cases', { records: [rec] }, 'source:health');
		expect((await outbox()).map((o) => o.rev)).toEqual([0]);
		await pushRecords(
			x.a.f.deps,
			'cases',
			{ records: [{ ...rec, releasedAt: new Date(x.a.f.clock.now - HOUR).toISOString() }] },
			'source:health'
		);
		expect((await outbox()).map((o) => o.rev)).toEqual([0, 1]);
	});
});

describe('faults', () => {
	it('gateway down: the outbox keeps the fact, backs off with jitter, then delivers exactly once when it is back', async () => {
		await residentOfB();
		await positiveTestInA();
		x.down.gateway = true;
		const r1 = await deliverOutbox(x.a.fed);
		expect(r1).toMatchObject({ sent: 0, retrying: 1 });
		const o1 = (await outbox())[0]!;
		expect(o1).toMatchObject({ state: 'pending', attempts: 1 });
		expect(o1.last_error).toMatch(/unavailable/);
		// equal jitter with random() = 0.5: 3/4 of the base delay
		expect(o1.next_attempt_at - x.a.f.clock.now).toBe((RETRY_BASE_MS * 3) / 4);
		// not due yet: nothing is tried
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ batches: 0 });
		x.a.f.clock.now += RETRY_BASE_MS;
		await deliverOutbox(x.a.fed);
		const o2 = (await outbox())[0]!;
		expect(o2.attempts).toBe(2);
		expect(o2.next_attempt_at - x.a.f.clock.now).toBe((RETRY_BASE_MS * 2 * 3) / 4);
		// an hour later the gateway is back
		x.down.gateway = false;
		x.a.f.clock.now += HOUR;
		x.gatewayClock.now = x.a.f.clock.now;
		x.b.f.clock.now = x.a.f.clock.now;
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 1 });
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ batches: 0 });
		expect(await gwQueue()).toHaveLength(1);
		expect(await pullAndApply(x.b.fed)).toMatchObject({ applied: 1 });
	});

	it('the gateway’s answer lost after it accepted: the retry is stored once and applied once', async () => {
		await residentOfB();
		await positiveTestInA();
		const real = x.a.fed.transport;
		x.a.fed.transport = {
			...real,
			submitFacts: async (e) => {
				await real.submitFacts(e);
				throw new Error('connection reset');
			}
		};
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 0, retrying: 1 });
		x.a.fed.transport = real;
		x.a.f.clock.now += RETRY_BASE_MS;
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 1 });
		expect(await gwQueue()).toHaveLength(1);
		expect(await pullAndApply(x.b.fed)).toMatchObject({ applied: 1, duplicates: 0 });
	});

	it('a batch from a region whose certificate B has not mirrored yet waits in the queue (up to 10 min), then applies once it arrives', async () => {
		await residentOfB();
		await rememberRef(ID_B);
		await positiveTestInA();
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 1 });
		// B does not know A's exchange key yet (its mirror has not brought A's certificate)
		let knowsA = false;
		const keys = {
			exchangeKey: (region: string, at: number) =>
				region === REGION_A && !knowsA ? Promise.resolve(null) : x.b.fed.keys.exchangeKey(region, at)
		};
		const fedB = { ...x.b.fed, keys };
		expect(await pullAndApply(fedB)).toMatchObject({ applied: 0, batchesRefused: 0, held: true });
		x.b.f.clock.now += 5 * 60_000;
		expect(await pullAndApply(fedB)).toMatchObject({ applied: 0, held: true });
		expect((await gwQueue())[0]!.acked_at).toBeNull();
		knowsA = true;
		expect(await pullAndApply(fedB)).toMatchObject({ applied: 1, held: false, changed: 1 });
		expect((await colourInB()).colour?.colour).toBe('red');
	});

	it('a batch whose signer stays unknown is refused after the hold (nothing else waits behind it for ever)', async () => {
		await residentOfB();
		await positiveTestInA();
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 1 });
		const fedB = { ...x.b.fed, keys: { exchangeKey: () => Promise.resolve(null) } };
		expect(await pullAndApply(fedB)).toMatchObject({ held: true });
		x.b.f.clock.now += UNKNOWN_SIGNER_HOLD_MS;
		expect(await pullAndApply(fedB)).toMatchObject({ held: false, batchesRefused: 1, applied: 0 });
		expect((await gwQueue())[0]!.acked_at).not.toBeNull();
	});

	it('receiver down: the gateway holds B’s queue; B applies it once when it pulls, and a second pull changes nothing', async () => {
		await residentOfB();
		await positiveTestInA();
		await deliverOutbox(x.a.fed);
		await positiveTestInA(ID_B, 30);
		await deliverOutbox(x.a.fed);
		expect(await gwQueue()).toHaveLength(2);
		expect(await pullAndApply(x.b.fed)).toMatchObject({ applied: 2 });
		expect(await pullAndApply(x.b.fed)).toMatchObject({ applied: 0, duplicates: 0 });
	});

	it('orders facts per person: a later fact waits while an earlier one of the same person waits for its retry', async () => {
		await residentOfB();
		await positiveTestInA();
		x.down.gateway = true;
		await deliverOutbox(x.a.fed);
		x.down.gateway = false;
		await positiveTestInA(ID_B, 1);
		// the second fact is due, the first is not: neither goes
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ batches: 0 });
		x.a.f.clock.now += RETRY_BASE_MS;
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 2, batches: 1 });
		const q = await gwQueue();
		const o = await outbox();
		expect(q.map((r) => r.fact_id)).toEqual(o.map((r) => r.fact_id));
	});
});

describe('bad input at the gateway', () => {
	beforeEach(async () => {
		await residentOfB();
	});
	const refusal = (p: Promise<unknown>) =>
		p.then(
			() => 'accepted',
			(e: unknown) => (e instanceof DomainError ? `${e.code} ${e.detail ?? ''}`.trim() : String(e))
		);

	it('a forged signature (a key not onboarded for A) is refused whole', async () => {
		const forger = regionSigner(REGION_A);
		const env = await signFactBatch(forger, 'forged-batch-1', Math.floor(x.a.f.clock.now / 1000), [fact()]);
		expect(await refusal(acceptFactBatch(x.gw, env))).toBe('federation/signature message/signature');
		expect(await gwQueue()).toHaveLength(0);
	});

	it('B’s key signing as A is refused; A’s batch carrying a fact of region B is refused per item', async () => {
		const bAsA = { ...x.signers.get(REGION_B)!, region: REGION_A };
		const env = await signFactBatch(bAsA, 'cross-region-1', Math.floor(x.a.f.clock.now / 1000), [fact()]);
		expect(await refusal(acceptFactBatch(x.gw, env))).toBe('federation/signature message/signature');
		const other = fact({ region: REGION_B, id: `${REGION_B}:abc` });
		const r = await acceptFactBatch(x.gw, await signedByA([other, fact()]));
		expect(r.results.map((i) => i.status + (i.code ? ` ${i.code}` : ''))).toEqual(['rejected fact/region', 'accepted']);
	});

	it('a fact altered after signing (or added by the gateway) is not in the signed digests', async () => {
		const env = await signedByA([fact()]);
		env.facts[0] = env.facts[0]!.replace('"positive"', '"negative"');
		env.facts.push(JSON.stringify(fact()));
		const r = await acceptFactBatch(x.gw, env);
		expect(r.results.map((i) => i.code)).toEqual(['fact/not-in-batch', 'fact/not-in-batch']);
	});

	it('replayed and reordered batches are harmless: each (id, rev) once; the receiver keeps the newest revision', async () => {
		const f0 = fact({
			kind: 'confirmed-case',
			confirmedAt: Math.floor(x.a.f.clock.now / 1000) - 7200,
			sampledAt: undefined,
			result: undefined
		});
		const f1 = { ...f0, rev: 1, releasedAt: Math.floor(x.a.f.clock.now / 1000) - 60 } as FederatedFact;
		const e0 = await signedByA([f0]);
		const e1 = await signedByA([f1]);
		await acceptFactBatch(x.gw, e1);
		await acceptFactBatch(x.gw, e1);
		await acceptFactBatch(x.gw, e0);
		await acceptFactBatch(x.gw, e0);
		expect((await gwQueue()).map((q) => q.rev)).toEqual([1, 0]);
		const r = await pullAndApply(x.b.fed);
		expect(r).toMatchObject({ applied: 1, duplicates: 1 });
		const c = await x.b.f.deps.db.selectFrom('cases').selectAll().where('id', '=', f0.id).executeTakeFirstOrThrow();
		expect(c.released_at).not.toBeNull();
	});

	it('an unknown person is unroutable: rejected with its reason and kept for A’s operators (nothing dropped)', async () => {
		await pushRecords(
			x.a.f.deps,
			'tests',
			{ records: [{ idNumber: ID_C, sampledAt: new Date(x.a.f.clock.now - HOUR).toISOString(), result: 'negative' }] },
			'source:health'
		);
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 0, rejected: 1 });
		expect((await outbox())[0]!).toMatchObject({ state: 'rejected', reject_code: 'fact/unroutable', reject_field: 'subject' });
		const rows = await x.gw.db.selectFrom('gw_rejections').selectAll().execute();
		expect(rows.map((r) => [r.from_region, r.code])).toEqual([[REGION_A, 'fact/unroutable']]);
	});

	it('bad fields are rejected per item with a reason code and field', async () => {
		const bad: [Partial<Record<string, unknown>>, string, string][] = [
			[{ result: 'maybe' }, 'fact/value', 'result'],
			[{ sampledAt: 'yesterday' }, 'fact/time', 'sampledAt'],
			[{ sampledAt: Math.floor(x.a.f.clock.now / 1000) + 3600 }, 'fact/future', 'sampledAt'],
			[{ subject: 'not-a-hash' }, 'fact/subject', 'subject'],
			[{ kind: 'rumour' }, 'fact/kind', 'kind'],
			[{ id: 'no-region' }, 'fact/id', 'id'],
			[{ extra: 1 }, 'fact/field', 'extra'],
			[{ rev: -1 }, 'fact/field', 'rev']
		];
		const r = await acceptFactBatch(x.gw, await signedByA(bad.map(([o]) => fact(o))));
		expect(r.results.map((i) => [i.code, i.field])).toEqual(bad.map(([, c, f]) => [c, f]));
		const notJson = await signFactBatch(x.signers.get(REGION_A)!, 'not-json-1', Math.floor(x.a.f.clock.now / 1000), []);
		expect((await acceptFactBatch(x.gw, { ...notJson, facts: ['{'] })).results[0]!.code).toBe('fact/not-in-batch');
	});

	it('clock skew up to 10 minutes is tolerated; beyond, the batch is refused as from the future', async () => {
		const ahead9 = x.a.f.clock.now + 9 * 60_000;
		expect(
			(await acceptFactBatch(x.gw, await signedByA([fact({ recordedAt: Math.floor(ahead9 / 1000) })], ahead9))).results[0]!.status
		).toBe('accepted');
		const ahead11 = x.a.f.clock.now + 11 * 60_000;
		expect(await refusal(acceptFactBatch(x.gw, await signedByA([fact()], ahead11)))).toBe('federation/refused message/future');
		// and the receiver, whose clock is 9 minutes behind A's, still applies what the gateway accepted
		expect(await pullAndApply(x.b.fed)).toMatchObject({ applied: 1, rejected: [] });
	});

	it('a hash claimed by a second region is a conflict reported, not overwritten', async () => {
		const route = routingHash(x.nationalKey, ID_B);
		const msg = await signRegionMessage(x.signers.get(REGION_A)!, 'registrations', Math.floor(x.a.f.clock.now / 1000), { routes: [route] });
		const r = await acceptRegistrations(x.gw, { message: toBase64Url(msg) });
		expect(r).toEqual({ registered: 0, conflicts: [{ route, home: REGION_B }] });
		expect((await x.gw.db.selectFrom('gw_homes').selectAll().where('route_hash', '=', route).executeTakeFirstOrThrow()).region).toBe(
			REGION_B
		);
		expect(await x.gw.db.selectFrom('gw_conflicts').select(['home_region', 'claimed_by']).execute()).toEqual([
			{ home_region: REGION_B, claimed_by: REGION_A }
		]);
	});

	it('a pull signed by A cannot read B’s queue, and a pull message cannot be replayed as a registration', async () => {
		await positiveTestInA();
		await deliverOutbox(x.a.fed);
		const pull = await signRegionMessage(x.signers.get(REGION_A)!, 'pull', Math.floor(x.a.f.clock.now / 1000), { after: 0 });
		const page = await x.a.fed.transport.pull(toBase64Url(pull));
		expect(page.batches).toEqual([]);
		expect(await refusal(acceptRegistrations(x.gw, { message: toBase64Url(pull) }))).toBe('federation/refused message/type');
	});
});
