/**
 * The gateway's per-region upload budgets (gateway-upload-limit.ts): over the budget an upload is answered 429
 * `gateway/rate-limited` with Retry-After; the budget is per authenticated region (another region, and forged
 * uploads under a region's code, do not spend it); a new window restores it; a region's outbox keeps the facts the
 * gateway turned away and sends them later. Registrations and fact batches here (the fact-exchange fixture); key
 * lists and status documents in gateway-trust.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../core/bytes.js';
import { signFactBatch } from '../../core/federation/fact-batch.js';
import type { FederatedFact } from '../../core/federation/fact.js';
import { signRegionMessage, type RegionSigner } from '../../core/federation/region-message.js';
import { federationFixture, regionSigner, REGION_A, REGION_B, type FederationFixture } from '../../testing/federation-fixture.js';
import { DomainError } from '../domain-error.js';
import { ERRORS } from '../../core/contract/errors.js';
import { pushHouseholdRegister } from '../sources/sources.js';
import { pushRecords } from '../sources/push.js';
import { acceptFactBatch, acceptRegistrations } from './gateway-facts.js';
import { GATEWAY_UPLOAD_LIMITS, GATEWAY_UPLOAD_WINDOW_MS } from './gateway-upload-limit.js';
import { deliverOutbox } from './outbox.js';
import { httpTransport } from './transport.js';
import { registerResidents } from './registration.js';

let x: FederationFixture;
// the gateway on PostgreSQL when TEST_DATABASE_URL is set (the budget is an UPSERT … RETURNING on both engines)
beforeEach(
	async () => (x = await federationFixture(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL } : {})),
	60_000
);
afterEach(() => x.close());

const nowSec = () => Math.floor(x.gatewayClock.now / 1000);
const registration = async (signer: RegionSigner) => ({
	message: toBase64Url(await signRegionMessage(signer, 'registrations', nowSec(), { routes: [toBase64Url(randomBytes(32))] }))
});
const outcome = (p: Promise<unknown>) =>
	p.then(
		() => 'accepted',
		(e: unknown) => (e instanceof DomainError ? e.code : String(e))
	);
/**
 * The gateway route's answer to a service call, as http/respond.ts gives it: status from the error table, Retry-After
 * from the error (services never import http/, so the mapping is restated here).
 */
async function answer(fn: () => Promise<unknown>): Promise<Response> {
	try {
		return new Response(JSON.stringify(await fn()), { status: 200, headers: { 'content-type': 'application/json' } });
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
		if (e.retryAfterSeconds !== undefined) headers['retry-after'] = String(e.retryAfterSeconds);
		return new Response(JSON.stringify({ code: e.code, params: e.params }), { status: ERRORS[e.code].status, headers });
	}
}

describe('gateway upload budgets, per region', { timeout: 60_000 }, () => {
	it('registrations: the budget is spent, then 429 gateway/rate-limited with Retry-After; B is not affected; the next window is open again', async () => {
		// the window's start: Retry-After is then exactly the window
		x.gatewayClock.now -= x.gatewayClock.now % GATEWAY_UPLOAD_WINDOW_MS;
		const a = x.signers.get(REGION_A)!;
		for (let i = 0; i < GATEWAY_UPLOAD_LIMITS.registrations; i++)
			expect(await outcome(acceptRegistrations(x.gw, await registration(a)))).toBe('accepted');
		x.gatewayClock.now += 15_000;
		const refused = await answer(async () => acceptRegistrations(x.gw, await registration(a)));
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('45');
		expect(await refused.json()).toMatchObject({ code: 'gateway/rate-limited', params: { limit: GATEWAY_UPLOAD_LIMITS.registrations } });
		// another region has its own budget
		expect(await outcome(acceptRegistrations(x.gw, await registration(x.signers.get(REGION_B)!)))).toBe('accepted');
		x.gatewayClock.now += 45_000;
		expect(await outcome(acceptRegistrations(x.gw, await registration(a)))).toBe('accepted');
	});

	it('forged uploads under A’s code are refused before they are counted: A’s budget stays whole', async () => {
		const forger = regionSigner(REGION_A);
		for (let i = 0; i < GATEWAY_UPLOAD_LIMITS.registrations + 5; i++)
			expect(await outcome(acceptRegistrations(x.gw, await registration(forger)))).toBe('federation/signature');
		expect(await outcome(acceptRegistrations(x.gw, await registration(x.signers.get(REGION_A)!)))).toBe('accepted');
	});

	it('fact batches: over the budget the gateway answers 429; A’s outbox keeps the fact and delivers it in the next window', async () => {
		x.gatewayClock.now -= x.gatewayClock.now % GATEWAY_UPLOAD_WINDOW_MS;
		// B's resident, registered for routing; A records a positive test about them
		const id = '11010519491231002X';
		await pushHouseholdRegister(x.b.f.deps, { records: [{ idNumber: id, name: '赵敏', region: REGION_B }] });
		await registerResidents(x.b.fed);
		// A has spent its fact-batch budget for this minute (empty batches: each is one signed upload)
		const a = x.signers.get(REGION_A)!;
		const batch = (facts: FederatedFact[]) => signFactBatch(a, toBase64Url(randomBytes(9)), nowSec(), facts);
		for (let i = 0; i < GATEWAY_UPLOAD_LIMITS['fact-batch']; i++) await acceptFactBatch(x.gw, await batch([]));
		expect(await outcome(acceptFactBatch(x.gw, await batch([])))).toBe('gateway/rate-limited');
		// A's exchange job goes over HTTP: the 429 is a retry, not a rejection
		const overHttp = httpTransport('http://gateway.test', async (input, init) => {
			expect(input).toBe('http://gateway.test/api/v1/gateway/facts');
			return answer(() => acceptFactBatch(x.gw, JSON.parse(init!.body as string)));
		});
		const fed = { ...x.a.fed, transport: overHttp };
		await pushRecords(
			x.a.f.deps,
			'tests',
			{ records: [{ idNumber: id, sampledAt: new Date(x.a.f.clock.now - 3_600_000).toISOString(), result: 'positive' }] },
			'source:health'
		);
		const first = await deliverOutbox(fed);
		expect(first).toMatchObject({ sent: 0, rejected: 0, retrying: 1, error: 'unavailable: gateway answered 429' });
		// the next window: the retry goes through, once
		x.gatewayClock.now += GATEWAY_UPLOAD_WINDOW_MS;
		x.a.f.clock.now += GATEWAY_UPLOAD_WINDOW_MS * 10;
		expect(await deliverOutbox(fed)).toMatchObject({ sent: 1, rejected: 0, retrying: 0 });
		expect(await x.gw.db.selectFrom('gw_queue').selectAll().execute()).toHaveLength(1);
	});
});
