/**
 * The gateway's part in cross-region tracing (docs/federation.md §Cross-region tracing): it carries signed
 * requests from the asking region to the region of the venues, and signed answers back. It stores them but cannot
 * read anyone's data: the query runs in the venue's region after its staff approve, and the contacts travel as
 * facts (gateway-facts.ts).
 */
import { fromBase64Url } from '../../core/bytes.js';
import { openRegionMessage, type FedMessageType, type OpenedMessage } from '../../core/federation/region-message.js';
import { FED_REGION_RE } from '../../core/federation/fact.js';
import { DomainError } from '../domain-error.js';
import { answerGatewayTracing, gatewayTracingById, gatewayTracingFor, putGatewayTracing } from '../store/federation-tracing.js';
import { MAX_REQUEST_AGE_SEC, type GatewayFactDeps } from './gateway-facts.js';

const ID_RE = /^[A-Za-z0-9_-]{8,64}$/;

async function open(gw: GatewayFactDeps, body: unknown, type: FedMessageType): Promise<{ m: OpenedMessage; text: string }> {
	const text = (body as { message?: unknown } | null)?.message;
	const bytes = typeof text === 'string' ? fromBase64Url(text) : null;
	if (!bytes || typeof text !== 'string')
		throw new DomainError('federation/refused', { detail: 'expected {"message": base64url COSE_Sign1}' });
	const r = await openRegionMessage(bytes, {
		type,
		keys: gw.keys,
		backend: gw.backend,
		nowSec: Math.floor(gw.clock() / 1000),
		maxAgeSec: MAX_REQUEST_AGE_SEC
	});
	if (!r.ok)
		throw new DomainError(
			r.code === 'message/signature' || r.code === 'message/unknown-region' ? 'federation/signature' : 'federation/refused',
			{ detail: r.code }
		);
	return { m: r.message, text };
}

/** POST /api/v1/gateway/tracing: a region's signed "tracing-request" {id, to, visits, purpose, case?}; stored once per id. */
export async function acceptTracingRequest(gw: GatewayFactDeps, body: unknown): Promise<{ id: string; queued: boolean }> {
	const { m, text } = await open(gw, body, 'tracing-request');
	const b = m.body as { id?: unknown; to?: unknown } | null;
	if (typeof b?.id !== 'string' || !ID_RE.test(b.id) || typeof b.to !== 'string' || !FED_REGION_RE.test(b.to) || b.to === m.region)
		throw new DomainError('federation/refused', { detail: 'expected {"id", "to": another region, "visits", "purpose"}' });
	const queued = await putGatewayTracing(gw.db, { id: b.id, from: m.region, to: b.to, message: text }, gw.clock());
	return { id: b.id, queued };
}

/** POST /api/v1/gateway/tracing/poll: signed "tracing-poll" {after, answersSince}: requests to the signer, answers to its requests. */
export async function pollTracing(gw: GatewayFactDeps, body: unknown) {
	const { m } = await open(gw, body, 'tracing-poll');
	const b = m.body as { after?: unknown; answersSince?: unknown } | null;
	const after = typeof b?.after === 'number' && Number.isSafeInteger(b.after) ? b.after : 0;
	const since = typeof b?.answersSince === 'number' && Number.isSafeInteger(b.answersSince) ? b.answersSince : 0;
	return gatewayTracingFor(gw.db, m.region, after, since, 200);
}

/** POST /api/v1/gateway/tracing/answer: signed "tracing-answer" {id, outcome, found}; only the asked region may answer, once. */
export async function acceptTracingAnswer(gw: GatewayFactDeps, body: unknown): Promise<{ id: string }> {
	const { m, text } = await open(gw, body, 'tracing-answer');
	const id = (m.body as { id?: unknown } | null)?.id;
	const row = typeof id === 'string' ? await gatewayTracingById(gw.db, id) : undefined;
	if (!row || row.to_region !== m.region) throw new DomainError('federation/refused', { detail: 'no such request to this region' });
	await answerGatewayTracing(gw.db, row.id, text, gw.clock());
	return { id: row.id };
}
