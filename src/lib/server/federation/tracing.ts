/**
 * Cross-region tracing (docs/federation.md §Cross-region tracing). B found a case who visited venues in A:
 * 1. B's staff ask A for the co-visitors of those visits (requestTracing): a request signed with B's exchange key,
 *    through the gateway, audited in B (`tracing.request`);
 * 2. A receives it (pollTracing, by the periodic job), checks B's signature itself, and lists it for its staff;
 * 3. A's staff approve (approveTracing) or refuse it; approval is rate-limited per asking region and audited in A
 *    (`tracing.approve`, `tracing.query`); the query runs on A's scan logs and visits, within the visits' windows;
 * 4. the co-visitors become venue co-visit facts: A's own residents are recoloured in A at once; everyone else's go
 *    to their home region through the outbox (B included); A answers B with the count, and B records it
 *    (`tracing.answer`).
 * A contact whose routing hash A does not know (nobody gave A their ID number) cannot be addressed and is counted
 * as unroutable in the answer; scans of other regions' codes are not resolvable to a person in A at all. An answer
 * the gateway did not take (down) is sent again by the exchange job.
 */
import { createHash, randomBytes } from 'node:crypto';
import { toBase64Url, fromBase64Url } from '../../core/bytes.js';
import type { FederatedFact } from '../../core/federation/fact.js';
import { FED_REGION_RE } from '../../core/federation/fact.js';
import { openRegionMessage, signRegionMessage } from '../../core/federation/region-message.js';
import { routingHash } from '../../core/federation/routing-hash.js';
import { validateResidentId } from '../../core/declaration/resident-id.js';
import { recordStaffAction } from '../audit/record-staff-action.js';
import { DomainError } from '../domain-error.js';
import { transaction } from '../store/db.js';
import { metaValue, putReceivedVisit, residentRoutesAmong, setMetaValue } from '../store/federation-facts.js';
import {
	coVisitorsAt,
	insertTracing,
	routesOfRefs,
	tracingById,
	tracingPage,
	unsentAnswers,
	updateTracing,
	type TracingRow
} from '../store/federation-tracing.js';
import { hit } from '../store/rate-limit.js';
import { venueNames } from '../store/venues.js';
import { invalidateEngine } from '../recolour/engine.js';
import { recolour } from '../recolour/recolour.js';
import { queueFacts } from './outbox.js';
import type { RegionFed } from './region-fed.js';
import { GatewayRefused, GatewayUnavailable } from './transport.js';

export interface TracingVisit {
	/** the venue's id in the asked region */
	venue: string;
	/** the case's visit (ms) */
	from: number;
	until: number;
}

export const MAX_TRACING_VISITS = 20;
/** Around each visit of the case, who came this long before or after counts as a co-visitor. */
export const CO_VISIT_MARGIN_MS = 30 * 60_000;
/** Approvals per asking region per hour (a region's staff cannot be made to run bulk queries). */
export const TRACING_RATE = { windowMs: 3_600_000, limit: 20 };
const VENUE_RE = /^[A-Za-z0-9_.~-]{1,64}$/;
const REQUESTS_CURSOR = 'federation:tracing-after';
const ANSWERS_CURSOR = 'federation:tracing-answers-since';

const sec = (ms: number) => Math.floor(ms / 1000);

function invalid(detail: string): DomainError {
	return new DomainError('fed-tracing/invalid', { detail });
}

function checkVisits(raw: unknown, nowMs: number): TracingVisit[] {
	if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_TRACING_VISITS) throw invalid(`1 to ${MAX_TRACING_VISITS} visits`);
	return raw.map((x: unknown) => {
		const v = x as Partial<TracingVisit> | null;
		if (typeof v?.venue !== 'string' || !VENUE_RE.test(v.venue)) throw invalid('visit venue');
		if (typeof v.from !== 'number' || typeof v.until !== 'number' || !Number.isSafeInteger(v.from) || !Number.isSafeInteger(v.until))
			throw invalid('visit times (ms)');
		if (v.until < v.from || v.until - v.from > 86_400_000 || v.until > nowMs + 600_000 || v.from < nowMs - 30 * 86_400_000)
			throw invalid('a visit is at most a day long, within the last 30 days');
		return { venue: v.venue, from: v.from, until: v.until };
	});
}

/** B's staff ask `to` for the co-visitors of a case's visits there. */
export async function requestTracing(
	fed: RegionFed,
	actor: string,
	input: { to?: unknown; visits?: unknown; purpose?: unknown; caseIdNumber?: unknown }
): Promise<{ id: string }> {
	const { deps } = fed;
	const now = deps.clock();
	if (typeof input.to !== 'string' || !FED_REGION_RE.test(input.to) || input.to === fed.signer.region) throw invalid('to: another region');
	const visits = checkVisits(input.visits, now);
	const purpose = typeof input.purpose === 'string' ? input.purpose.trim() : '';
	if (!purpose || purpose.length > 200) throw invalid('purpose: 1 to 200 characters');
	let caseRoute: string | null = null;
	if (input.caseIdNumber !== undefined && input.caseIdNumber !== '') {
		const id = typeof input.caseIdNumber === 'string' ? validateResidentId(input.caseIdNumber, now) : { ok: false as const };
		if (!id.ok) throw invalid('caseIdNumber');
		caseRoute = routingHash(fed.nationalKey, id.value);
	}
	const id = toBase64Url(randomBytes(12));
	const message = await signRegionMessage(fed.signer, 'tracing-request', sec(now), {
		id,
		to: input.to,
		purpose,
		visits: visits.map((v) => ({ venue: v.venue, from: sec(v.from), until: sec(v.until) })),
		...(caseRoute ? { case: caseRoute } : {})
	});
	try {
		await fed.transport.tracingRequest(toBase64Url(message));
	} catch (e) {
		if (e instanceof GatewayUnavailable) throw new DomainError('federation/unavailable', { retryAfterSeconds: 30 });
		if (e instanceof GatewayRefused) throw new DomainError('federation/refused', { detail: e.message });
		throw e;
	}
	await transaction(deps.db, async (tx) => {
		await insertTracing(tx, {
			id,
			direction: 'out',
			peer_region: input.to as string,
			case_route: caseRoute,
			visits_json: JSON.stringify(visits),
			purpose,
			state: 'sent',
			requested_by: actor,
			requested_at: now,
			decided_by: null,
			decided_at: null,
			note: null,
			found: null,
			message: null,
			answer_json: null,
			answer_sent_at: null
		});
		await recordStaffAction(tx, {
			actor,
			action: 'tracing.request',
			target: id,
			purpose,
			detail: { to: input.to, visits: visits.length },
			at: now
		});
	});
	return { id };
}

/** The job's step: new requests to this region (their signatures checked here), and answers to this region's requests. */
export async function pollTracing(fed: RegionFed): Promise<{ received: number; answered: number; resent: number }> {
	const { db } = fed.deps;
	const now = fed.deps.clock();
	// answers decided here while the gateway was unreachable
	let resent = 0;
	for (const u of await unsentAnswers(db, 50)) {
		if (!(await sendAnswer(fed, u.id, JSON.parse(u.answer_json) as AnswerBody))) break;
		resent++;
	}
	const after = Number((await metaValue(db, REQUESTS_CURSOR)) ?? 0);
	const since = Number((await metaValue(db, ANSWERS_CURSOR)) ?? 0);
	const poll = await signRegionMessage(fed.signer, 'tracing-poll', sec(now), { after, answersSince: since });
	const page = await fed.transport.tracingPoll(toBase64Url(poll));
	const opts = { keys: fed.keys, backend: fed.backend, nowSec: sec(now), maxAgeSec: 30 * 86_400 };
	let received = 0;
	let answered = 0;
	for (const r of page.requests) {
		const bytes = fromBase64Url(r.message);
		const o = bytes ? await openRegionMessage(bytes, { ...opts, type: 'tracing-request' }) : null;
		const b = o?.ok ? (o.message.body as { id?: unknown; to?: unknown; visits?: unknown; purpose?: unknown; case?: unknown }) : null;
		if (!o?.ok || !b || b.to !== fed.signer.region || typeof b.id !== 'string' || typeof b.purpose !== 'string') continue;
		let visits: TracingVisit[];
		try {
			visits = checkVisits(
				Array.isArray(b.visits)
					? b.visits.map((v: { venue?: unknown; from?: number; until?: number }) => ({
							venue: v.venue,
							from: (v.from ?? 0) * 1000,
							until: (v.until ?? 0) * 1000
						}))
					: null,
				now
			);
		} catch {
			continue;
		}
		await insertTracing(db, {
			id: b.id,
			direction: 'in',
			peer_region: o.message.region,
			case_route: typeof b.case === 'string' ? b.case : null,
			visits_json: JSON.stringify(visits),
			purpose: b.purpose.slice(0, 200),
			state: 'pending',
			requested_by: `region:${o.message.region}`,
			requested_at: o.message.at * 1000,
			decided_by: null,
			decided_at: null,
			note: null,
			found: null,
			message: r.message,
			answer_json: null,
			answer_sent_at: null
		});
		received++;
	}
	for (const a of page.answers) {
		const bytes = fromBase64Url(a.message);
		const o = bytes ? await openRegionMessage(bytes, { ...opts, type: 'tracing-answer' }) : null;
		const b = o?.ok ? (o.message.body as { id?: unknown; outcome?: unknown; found?: unknown; note?: unknown }) : null;
		if (!o?.ok || !b || typeof b.id !== 'string') continue;
		const row = await tracingById(db, b.id);
		if (!row || row.direction !== 'out' || row.peer_region !== o.message.region) continue;
		const state = b.outcome === 'answered' ? 'answered' : 'refused';
		await transaction(db, async (tx) => {
			if (
				!(await updateTracing(
					tx,
					b.id as string,
					{
						state,
						found: typeof b.found === 'number' ? b.found : null,
						decided_at: o.message.at * 1000,
						decided_by: `region:${o.message.region}`,
						note: typeof b.note === 'string' ? b.note.slice(0, 200) : null
					},
					'sent'
				))
			)
				return;
			await recordStaffAction(tx, {
				actor: `region:${o.message.region}`,
				action: 'tracing.answer',
				target: row.id,
				detail: { outcome: state, found: b.found ?? null },
				at: now
			});
			answered++;
		});
	}
	await setMetaValue(db, REQUESTS_CURSOR, String(Math.max(after, ...page.requests.map((r: { seq: number }) => r.seq))));
	await setMetaValue(db, ANSWERS_CURSOR, String(Math.max(since, ...page.answers.map((a: { answeredAt: number }) => a.answeredAt))));
	return { received, answered, resent };
}

async function pendingIn(fed: RegionFed, id: string): Promise<TracingRow> {
	const row = await tracingById(fed.deps.db, id);
	if (!row || row.direction !== 'in') throw new DomainError('fed-tracing/not-found');
	if (row.state !== 'pending') throw new DomainError('fed-tracing/not-pending');
	return row;
}

type AnswerBody = { outcome: 'answered' | 'refused'; found?: number; note?: string };

/** Sends a decided request's answer (signed now: requests to the gateway are fresh); recorded as sent once taken. */
async function sendAnswer(fed: RegionFed, id: string, body: AnswerBody): Promise<boolean> {
	const message = await signRegionMessage(fed.signer, 'tracing-answer', sec(fed.deps.clock()), { id, ...body });
	try {
		await fed.transport.tracingAnswer(toBase64Url(message));
	} catch {
		return false; // the exchange job tries again (pollTracing)
	}
	await updateTracing(fed.deps.db, id, { answer_sent_at: fed.deps.clock() });
	return true;
}

export interface TracingOutcome {
	found: number;
	/** this region's residents, recoloured here */
	local: number;
	/** queued as facts for their home regions */
	queued: number;
	/** co-visitors whose routing hash is unknown here */
	unroutable: number;
	recoloured: number;
	answerSent: boolean;
}

/** A's staff approve: the query runs on A's scan logs and visits; contacts become facts. Rate-limited per asking region. */
export async function approveTracing(fed: RegionFed, actor: string, id: string, note?: string): Promise<TracingOutcome> {
	const { deps } = fed;
	const row = await pendingIn(fed, id);
	const now = deps.clock();
	const limit = await hit(deps.db, `tracing:${row.peer_region}`, TRACING_RATE.windowMs, TRACING_RATE.limit, now);
	if (!limit.allowed)
		throw new DomainError('fed-tracing/rate-limited', { retryAfterSeconds: Math.max(1, Math.ceil(limit.retryAfterMs / 1000)) });
	const visits = JSON.parse(row.visits_json) as TracingVisit[];
	const names = await venueNames(
		deps.db,
		visits.map((v) => v.venue)
	);
	const hits: { ref: string; at: number; venue: string }[] = [];
	for (const v of visits)
		for (const h of await coVisitorsAt(deps.db, v.venue, v.from - CO_VISIT_MARGIN_MS, v.until + CO_VISIT_MARGIN_MS))
			hits.push({ ...h, venue: v.venue });
	const routes = await routesOfRefs(deps.db, [...new Set(hits.map((h) => h.ref))]);
	// one fact per person and venue: the latest visit
	const latest = new Map<string, { ref: string; at: number; venue: string }>();
	for (const h of hits) {
		if (routes.get(h.ref) === row.case_route) continue;
		const k = `${h.ref}\0${h.venue}`;
		if ((latest.get(k)?.at ?? -1) < h.at) latest.set(k, h);
	}
	const found = [...latest.values()];
	const residents = await residentRoutesAmong(deps.db, [...new Set(found.flatMap((h) => (routes.has(h.ref) ? [routes.get(h.ref)!] : [])))]);
	const local = found.filter((h) => routes.has(h.ref) && residents.has(routes.get(h.ref)!));
	const away = found.filter((h) => routes.has(h.ref) && !residents.has(routes.get(h.ref)!));
	const unroutable = found.length - local.length - away.length;
	const own = fed.signer.region;
	const short = (h: { ref: string; venue: string }) =>
		toBase64Url(createHash('sha256').update(`${h.ref}\0${h.venue}`).digest()).slice(0, 12);
	await transaction(deps.db, async (tx) => {
		if (
			!(await updateTracing(
				tx,
				id,
				{
					state: 'answered',
					decided_by: actor,
					decided_at: now,
					note: note ?? null,
					found: found.length,
					answer_json: JSON.stringify({ outcome: 'answered', found: found.length } satisfies AnswerBody)
				},
				'pending'
			))
		)
			throw new DomainError('fed-tracing/not-pending');
		// the finding rests on the asking region's case: recorded with its region, as a received co-visit would be
		for (const h of local)
			await putReceivedVisit(tx, {
				id: `${row.peer_region}:tr.${id}.${short(h)}`,
				ref: h.ref,
				venueId: h.venue,
				at: h.at,
				region: row.peer_region
			});
		const facts: Omit<FederatedFact, 'rev'>[] = away.map((h) => ({
			id: `${own}:tr.${id}.${short(h)}`,
			region: own,
			kind: 'venue-co-visit',
			subject: routes.get(h.ref)!,
			recordedAt: sec(now),
			venue: h.venue,
			venueName: (names.get(h.venue) ?? h.venue).slice(0, 100),
			at: sec(h.at)
		}));
		await queueFacts(tx, own, facts, now);
		await recordStaffAction(tx, {
			actor,
			action: 'tracing.approve',
			target: id,
			purpose: row.purpose,
			detail: { from: row.peer_region },
			at: now
		});
		await recordStaffAction(tx, {
			actor,
			action: 'tracing.query',
			target: id,
			purpose: row.purpose,
			detail: { venues: visits.length, found: found.length, local: local.length, queued: away.length, unroutable },
			at: now
		});
	});
	let recoloured = 0;
	if (local.length) {
		invalidateEngine();
		recoloured = (await recolour(deps, [...new Set(local.map((h) => h.ref))], { actor: `tracing:${row.peer_region}` })).changed;
	}
	const answerSent = await sendAnswer(fed, id, { outcome: 'answered', found: found.length });
	return { found: found.length, local: local.length, queued: away.length, unroutable, recoloured, answerSent };
}

/** A's staff refuse a request (with a note); the asker hears it. */
export async function refuseTracing(fed: RegionFed, actor: string, id: string, note: string): Promise<{ answerSent: boolean }> {
	await pendingIn(fed, id);
	const now = fed.deps.clock();
	const text = note.trim().slice(0, 200);
	await transaction(fed.deps.db, async (tx) => {
		const answerJson = JSON.stringify({ outcome: 'refused', ...(text ? { note: text } : {}) } satisfies AnswerBody);
		if (
			!(await updateTracing(
				tx,
				id,
				{ state: 'refused', decided_by: actor, decided_at: now, note: text || null, answer_json: answerJson },
				'pending'
			))
		)
			throw new DomainError('fed-tracing/not-pending');
		await recordStaffAction(tx, { actor, action: 'tracing.refuse', target: id, purpose: text || null, at: now });
	});
	return { answerSent: await sendAnswer(fed, id, { outcome: 'refused', ...(text ? { note: text } : {}) }) };
}

export async function tracingList(fed: Pick<RegionFed, 'deps'>) {
	const rows = await tracingPage(fed.deps.db, 200);
	return rows.map((r) => ({
		id: r.id,
		direction: r.direction,
		peerRegion: r.peer_region,
		visits: JSON.parse(r.visits_json) as TracingVisit[],
		purpose: r.purpose,
		state: r.state,
		requestedBy: r.requested_by,
		requestedAt: r.requested_at,
		decidedBy: r.decided_by,
		decidedAt: r.decided_at,
		note: r.note,
		found: r.found
	}));
}
