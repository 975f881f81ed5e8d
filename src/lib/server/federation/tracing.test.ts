/**
 * Cross-region tracing end to end in one process (docs/federation.md §Cross-region tracing): B asks A for the
 * co-visitors of its case's visit to A's venue; A's staff approve; the query runs on A's visits; A's resident is
 * recoloured in A, B's resident gets the co-visit as a fact and is recoloured in B with region A named; both sides
 * audited; rate limit, refusal and forged answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../core/bytes.js';
import { signRegionMessage } from '../../core/federation/region-message.js';
import { federationFixture, REGION_A, REGION_B, type FederationFixture } from '../../testing/federation-fixture.js';
import { DomainError } from '../domain-error.js';
import { pushHouseholdRegister, pushPhoneRegistry } from '../sources/sources.js';
import { hit } from '../store/rate-limit.js';
import { acceptTracingAnswer } from './gateway-tracing.js';
import { pullAndApply } from './inbox.js';
import { deliverOutbox } from './outbox.js';
import { registerResidents } from './registration.js';
import { approveTracing, pollTracing, refuseTracing, requestTracing, TRACING_RATE, tracingList } from './tracing.js';

const ID_B = '11010519491231002X'; // B's resident, visited A's venue
const ID_A = '440303199002024566'; // A's resident, visited A's venue
const ID_CASE = '110105198001011238'; // B's case
const MIN = 60_000;

let x: FederationFixture;
const eventsOf = (json: string | null) => (JSON.parse(json ?? '{}') as { events: { from?: string[] }[] }).events;
beforeEach(async () => (x = await federationFixture()));
afterEach(() => x.close());

const errorCode = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e: unknown) => (e instanceof DomainError ? e.code : String(e))
	);

async function setUp() {
	const a = x.a.f.deps;
	const b = x.b.f.deps;
	await pushHouseholdRegister(b, {
		records: [
			{ idNumber: ID_B, name: '赵敏', region: REGION_B },
			{ idNumber: ID_CASE, name: '孙立', region: REGION_B }
		]
	});
	await pushHouseholdRegister(a, { records: [{ idNumber: ID_A, name: '钱多', region: REGION_A }] });
	await registerResidents(x.b.fed);
	await registerResidents(x.a.fed);
	// A's carrier knows B's resident's phone: A has their routing hash without them being A's resident
	await pushPhoneRegistry(a, { records: [{ phone: '13500000009', idNumber: ID_B }] });
	await a.db
		.insertInto('venues')
		.values({ id: 'v-futian', name: '福田站', region: REGION_A, policy_json: '{}', created_at: x.a.f.clock.now })
		.execute();
	const refOf = async (id: string) =>
		(
			await a.db
				.selectFrom('fed_known_routes')
				.select('ref')
				.where('route_hash', '=', await routeOf(id))
				.executeTakeFirst()
		)?.ref ??
		(
			await a.db
				.selectFrom('fed_residents')
				.select('ref')
				.where('route_hash', '=', await routeOf(id))
				.executeTakeFirstOrThrow()
		).ref;
	const visitAt = x.a.f.clock.now - 3 * 3_600_000;
	for (const [id, at] of [
		[ID_B, visitAt + 10 * MIN],
		[ID_A, visitAt - 20 * MIN]
	] as const)
		await a.db
			.insertInto('venue_visits')
			.values({ id: toBase64Url(randomBytes(6)), ref: await refOf(id), venue_id: 'v-futian', at })
			.execute();
	return { visitAt };
}
const routeOf = async (id: string) => {
	const { routingHash } = await import('../../core/federation/routing-hash.js');
	return routingHash(x.nationalKey, id);
};

describe('cross-region tracing', () => {
	it('B asks, A approves, the co-visitors are recoloured in their home regions with the source region named; audited on both sides', async () => {
		const { visitAt } = await setUp();
		const { id } = await requestTracing(x.b.fed, 'alice', {
			to: REGION_A,
			visits: [{ venue: 'v-futian', from: visitAt, until: visitAt + 30 * MIN }],
			purpose: '病例 12 流调',
			caseIdNumber: ID_CASE
		});
		expect((await tracingList(x.b.fed))[0]).toMatchObject({ id, direction: 'out', state: 'sent', peerRegion: REGION_A });
		expect(await pollTracing(x.a.fed)).toEqual({ received: 1, answered: 0, resent: 0 });
		expect((await tracingList(x.a.fed))[0]).toMatchObject({
			id,
			direction: 'in',
			state: 'pending',
			peerRegion: REGION_B,
			purpose: '病例 12 流调'
		});

		const outcome = await approveTracing(x.a.fed, 'bob', id);
		expect(outcome).toMatchObject({ found: 2, local: 1, queued: 1, unroutable: 0, recoloured: 1, answerSent: true });
		// A's own resident: a co-visit in A, resting on B's case
		const aRef = (
			await x.a.f.deps.db
				.selectFrom('fed_residents')
				.select('ref')
				.where('route_hash', '=', await routeOf(ID_A))
				.executeTakeFirstOrThrow()
		).ref;
		const aColour = await x.a.f.deps.db.selectFrom('resident_colours').selectAll().where('ref', '=', aRef).executeTakeFirstOrThrow();
		expect([aColour.colour, JSON.parse(aColour.reasons_json)]).toEqual(['yellow', ['venue-co-visit']]);
		expect(eventsOf(aColour.explain_json)[0]?.from).toEqual([REGION_B]);
		// B's resident: the fact goes to B
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 1 });
		expect(await pullAndApply(x.b.fed)).toMatchObject({ applied: 1, changed: 1 });
		const bRef = (
			await x.b.f.deps.db
				.selectFrom('fed_residents')
				.select('ref')
				.where('route_hash', '=', await routeOf(ID_B))
				.executeTakeFirstOrThrow()
		).ref;
		const bColour = await x.b.f.deps.db.selectFrom('resident_colours').selectAll().where('ref', '=', bRef).executeTakeFirstOrThrow();
		expect([bColour.colour, JSON.parse(bColour.reasons_json)]).toEqual(['yellow', ['venue-co-visit']]);
		expect(eventsOf(bColour.explain_json)[0]?.from).toEqual([REGION_A]);
		// B hears the answer
		expect(await pollTracing(x.b.fed)).toEqual({ received: 0, answered: 1, resent: 0 });
		expect((await tracingList(x.b.fed))[0]).toMatchObject({ state: 'answered', found: 2 });
		// audited on both sides
		const actions = async (db: typeof x.a.f.deps.db) =>
			(await db.selectFrom('staff_audit').select(['actor', 'action']).orderBy('id').execute()).map((r) => `${r.actor} ${r.action}`);
		expect(await actions(x.b.f.deps.db)).toEqual(['alice tracing.request', `region:${REGION_A} tracing.answer`]);
		expect(await actions(x.a.f.deps.db)).toEqual(['bob tracing.approve', 'bob tracing.query']);
		// decided once
		expect(await errorCode(approveTracing(x.a.fed, 'bob', id))).toBe('fed-tracing/not-pending');
	});

	it('approvals are rate-limited per asking region; a refusal reaches the asker', async () => {
		const { visitAt } = await setUp();
		const ask = () =>
			requestTracing(x.b.fed, 'alice', {
				to: REGION_A,
				visits: [{ venue: 'v-futian', from: visitAt, until: visitAt + MIN }],
				purpose: 'p'
			});
		const one = await ask();
		const two = await ask();
		await pollTracing(x.a.fed);
		for (let i = 0; i < TRACING_RATE.limit; i++)
			await hit(x.a.f.deps.db, `tracing:${REGION_B}`, TRACING_RATE.windowMs, TRACING_RATE.limit, x.a.f.clock.now);
		expect(await errorCode(approveTracing(x.a.fed, 'bob', one.id))).toBe('fed-tracing/rate-limited');
		// the gateway is down when A refuses: the answer waits in A and goes with the exchange job once it is back
		x.down.gateway = true;
		expect(await refuseTracing(x.a.fed, 'bob', two.id, '超出范围')).toEqual({ answerSent: false });
		x.down.gateway = false;
		expect(await pollTracing(x.a.fed)).toMatchObject({ resent: 1 });
		expect(await pollTracing(x.a.fed)).toMatchObject({ resent: 0 });
		await pollTracing(x.b.fed);
		expect((await tracingList(x.b.fed)).find((r) => r.id === two.id)).toMatchObject({ state: 'refused', note: '超出范围' });
	});

	it('bad requests are refused with fed-tracing/invalid; only the asked region can answer', async () => {
		const { visitAt } = await setUp();
		expect(await errorCode(requestTracing(x.b.fed, 'alice', { to: REGION_B, visits: [], purpose: 'p' }))).toBe('fed-tracing/invalid');
		expect(
			await errorCode(
				requestTracing(x.b.fed, 'alice', { to: REGION_A, visits: [{ venue: 'v', from: visitAt, until: visitAt - 1 }], purpose: 'p' })
			)
		).toBe('fed-tracing/invalid');
		expect(
			await errorCode(
				requestTracing(x.b.fed, 'alice', { to: REGION_A, visits: [{ venue: 'v', from: visitAt, until: visitAt }], purpose: ' ' })
			)
		).toBe('fed-tracing/invalid');
		const { id } = await requestTracing(x.b.fed, 'alice', {
			to: REGION_A,
			visits: [{ venue: 'v-futian', from: visitAt, until: visitAt }],
			purpose: 'p'
		});
		const forged = await signRegionMessage(x.signers.get(REGION_B)!, 'tracing-answer', Math.floor(x.b.f.clock.now / 1000), {
			id,
			outcome: 'answered',
			found: 99
		});
		expect(await errorCode(acceptTracingAnswer(x.gw, { message: toBase64Url(forged) }))).toBe('federation/refused');
		x.down.gateway = true;
		expect(
			await errorCode(
				requestTracing(x.b.fed, 'alice', { to: REGION_A, visits: [{ venue: 'v-futian', from: visitAt, until: visitAt }], purpose: 'p' })
			)
		).toBe('federation/unavailable');
	});
});
