/**
 * The regions' HTTP client of the gateway (federation/transport.ts httpTransport) against the gateway's services
 * answered through respond() — the same problem+json mapping the /api/v1/gateway/** routes use: a full delivery
 * over it, a refused batch as GatewayRefused with its code, and network failures and 5xx as GatewayUnavailable
 * (which the outbox retries).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { federationFixture, regionSigner, REGION_A, REGION_B, type FederationFixture } from '../../testing/federation-fixture.js';
import { acceptFactBatch, acceptRegistrations, ackFacts, pullFacts, rejectionsFor } from '../federation/gateway-facts.js';
import { acceptTracingAnswer, acceptTracingRequest, pollTracing } from '../federation/gateway-tracing.js';
import { deliverOutbox } from '../federation/outbox.js';
import { pullAndApply } from '../federation/inbox.js';
import { registerResidents } from '../federation/registration.js';
import { GatewayRefused, GatewayUnavailable, httpTransport } from '../federation/transport.js';
import { signFactBatch } from '../../core/federation/fact-batch.js';
import { pushHouseholdRegister } from '../sources/sources.js';
import { pushRecords } from '../sources/push.js';
import { jsonResponse, respond } from './respond.js';

let x: FederationFixture;
beforeEach(async () => (x = await federationFixture()));
afterEach(() => x.close());

const ROUTES: Record<string, (gw: FederationFixture['gw'], body: unknown) => Promise<unknown>> = {
	facts: acceptFactBatch,
	'facts/pull': pullFacts,
	'facts/ack': ackFacts,
	'facts/rejections': rejectionsFor,
	registrations: acceptRegistrations,
	tracing: acceptTracingRequest,
	'tracing/poll': pollTracing,
	'tracing/answer': acceptTracingAnswer
};

/** fetch as the gateway's routes answer it: JSON in, the service, respond() out. */
const gatewayFetch: typeof fetch = async (input, init) => {
	const path = (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).replace(/^.*\/api\/v1\/gateway\//, '');
	const route = ROUTES[path];
	if (!route) return new Response('not found', { status: 404 });
	return respond(async () => jsonResponse(await route(x.gw, JSON.parse(typeof init?.body === 'string' ? init.body : '{}'))));
};

describe('httpTransport', () => {
	it('carries a fact from A to B over HTTP, exactly once', async () => {
		const t = httpTransport('http://gateway.test/', gatewayFetch);
		x.a.fed.transport = t;
		x.b.fed.transport = t;
		await pushHouseholdRegister(x.b.f.deps, { records: [{ idNumber: '11010519491231002X', name: '赵敏', region: REGION_B }] });
		expect(await registerResidents(x.b.fed)).toEqual({ registered: 1, conflicts: [] });
		await pushRecords(
			x.a.f.deps,
			'tests',
			{ records: [{ idNumber: '11010519491231002X', sampledAt: new Date(x.a.f.clock.now - 3_600_000).toISOString(), result: 'positive' }] },
			'source:health'
		);
		expect(await deliverOutbox(x.a.fed)).toMatchObject({ sent: 1 });
		expect(await pullAndApply(x.b.fed)).toMatchObject({ applied: 1 });
		expect(await pullAndApply(x.b.fed)).toMatchObject({ applied: 0 });
	});

	it('a refused batch is GatewayRefused with the problem code; network errors and 5xx are GatewayUnavailable', async () => {
		const forged = await signFactBatch(regionSigner(REGION_A, randomBytes(32)), 'forged-http-1', Math.floor(x.a.f.clock.now / 1000), []);
		const refused = await httpTransport('http://gateway.test', gatewayFetch)
			.submitFacts(forged)
			.catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(GatewayRefused);
		expect((refused as GatewayRefused).code).toBe('federation/signature');
		const down = httpTransport('http://gateway.test', () => Promise.reject(new TypeError('fetch failed')));
		await expect(down.submitFacts(forged)).rejects.toBeInstanceOf(GatewayUnavailable);
		const busy = httpTransport('http://gateway.test', () => Promise.resolve(new Response('{}', { status: 503 })));
		await expect(busy.pull('x')).rejects.toBeInstanceOf(GatewayUnavailable);
	});
});
