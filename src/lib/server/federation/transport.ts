/**
 * How a region reaches the gateway: over HTTP (httpTransport, TONGXING_GATEWAY_URL) or, in tests and benches, by
 * calling the gateway's services in the same process (localTransport). Two kinds of failure, because the outbox
 * treats them differently only in what it records: GatewayUnavailable (network, 5xx: try again later) and
 * GatewayRefused (the gateway answered with a problem code: the request as sent will not succeed, e.g. an
 * exchange key not yet onboarded — still retried with backoff, and the code shown to operators).
 */
import type { FactBatchEnvelope } from '../../core/federation/fact-batch.js';
import { DomainError } from '../domain-error.js';
import { acceptTracingAnswer, acceptTracingRequest, pollTracing } from './gateway-tracing.js';
import {
	acceptFactBatch,
	acceptRegistrations,
	ackFacts,
	pullFacts,
	rejectionsFor,
	type GatewayFactDeps,
	type ItemResult
} from './gateway-facts.js';

export class GatewayUnavailable extends Error {
	override readonly name = 'GatewayUnavailable';
}

export class GatewayRefused extends Error {
	override readonly name = 'GatewayRefused';
	constructor(
		readonly code: string,
		detail?: string
	) {
		super(detail ? `${code}: ${detail}` : code);
	}
}

export interface PullResult {
	batches: { message: string; facts: string[]; seqs: number[] }[];
	next: number;
	more: boolean;
}

export interface GatewayTransport {
	submitFacts(envelope: FactBatchEnvelope): Promise<{ batch: string; results: ItemResult[] }>;
	register(message: string): Promise<{ registered: number; conflicts: { route: string; home: string }[] }>;
	pull(message: string): Promise<PullResult>;
	ack(message: string): Promise<{ acked: number; waiting: number }>;
	rejections(message: string): Promise<Awaited<ReturnType<typeof rejectionsFor>>>;
	tracingRequest(message: string): Promise<{ id: string; queued: boolean }>;
	tracingPoll(message: string): Promise<Awaited<ReturnType<typeof pollTracing>>>;
	tracingAnswer(message: string): Promise<{ id: string }>;
}

/** The gateway in this process; `isDown()` true makes every call fail as an unreachable gateway would. */
export function localTransport(gw: GatewayFactDeps, isDown: () => boolean = () => false): GatewayTransport {
	const call = async <T>(fn: () => Promise<T>): Promise<T> => {
		if (isDown()) throw new GatewayUnavailable('gateway down');
		try {
			return await fn();
		} catch (e) {
			if (e instanceof DomainError) throw new GatewayRefused(e.code, e.detail);
			throw e;
		}
	};
	return {
		submitFacts: (envelope) => call(() => acceptFactBatch(gw, structuredClone(envelope))),
		register: (message) => call(() => acceptRegistrations(gw, { message })),
		pull: (message) => call(() => pullFacts(gw, { message })),
		ack: (message) => call(() => ackFacts(gw, { message })),
		rejections: (message) => call(() => rejectionsFor(gw, { message })),
		tracingRequest: (message) => call(() => acceptTracingRequest(gw, { message })),
		tracingPoll: (message) => call(() => pollTracing(gw, { message })),
		tracingAnswer: (message) => call(() => acceptTracingAnswer(gw, { message }))
	};
}

/** The gateway at `baseUrl` (…/api/v1/gateway/…). `fetchFn` for tests. */
export function httpTransport(baseUrl: string, fetchFn: typeof fetch = fetch, timeoutMs = 15_000): GatewayTransport {
	const base = baseUrl.replace(/\/+$/, '');
	const post = async <T>(path: string, body: unknown): Promise<T> => {
		let res: Response;
		try {
			res = await fetchFn(`${base}/api/v1/gateway/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(timeoutMs)
			});
		} catch (e) {
			throw new GatewayUnavailable(e instanceof Error ? e.message : 'network error');
		}
		if (res.status >= 500 || res.status === 429) throw new GatewayUnavailable(`gateway answered ${res.status}`);
		const json = (await res.json().catch(() => null)) as { code?: string; detail?: string } | null;
		if (!res.ok) throw new GatewayRefused(json?.code ?? `http/${res.status}`, json?.detail);
		return json as T;
	};
	return {
		submitFacts: (envelope) => post('facts', envelope),
		register: (message) => post('registrations', { message }),
		pull: (message) => post('facts/pull', { message }),
		ack: (message) => post('facts/ack', { message }),
		rejections: (message) => post('facts/rejections', { message }),
		tracingRequest: (message) => post('tracing', { message }),
		tracingPoll: (message) => post('tracing/poll', { message }),
		tracingAnswer: (message) => post('tracing/answer', { message })
	};
}
