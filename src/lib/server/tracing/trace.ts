/**
 * Contact tracing for the console (issue 15): the confirmed cases to trace, and a case's co-visitors in a time
 * window — from the venue scan logs (imported visits and the guards' scans of codes), GPS fixes close by and
 * shared carrier cells (overlap.ts says how each is judged, with the active rules' own distances and minutes).
 * The default window is the case's infectious window under the active rules (core infectious-window.ts). Each
 * query needs a purpose and leaves a `tracing.query` row in staff_audit.
 *
 * Bounded on the 1 000 000-resident city: the window is at most TRACING_MAX_WINDOW_DAYS; the case's points and
 * visits, the candidate phones, their points and the rows returned each have a cap (below), every read is an
 * index range scan inside the window (store/tracing.ts), and a reached cap is reported (`truncated`) instead of
 * silently cutting the list.
 */
import type { IssuerDeps } from '../deps.js';
import { DomainError, type FieldProblem } from '../domain-error.js';
import { recordStaffAction } from '../audit/record-staff-action.js';
import { staffUsername } from '../staff/staff.js';
import { activeRules } from '../recolour/engine.js';
import { cellsCovering, gridOf, type BBox } from '../geo/grid.js';
import { livePeopleByIdHmac } from '../store/people.js';
import { coloursOf } from '../store/resident-colours.js';
import { venueNames } from '../store/venues.js';
import {
	caseById,
	contactsOfCase,
	firstPositiveSamples,
	latestCases,
	phonesInBox,
	phonesInCellsIn,
	pointsOfPhonesIn,
	pointsOfRefIn,
	visitsAtVenue,
	visitsOfRefIn,
	type CaseRow,
	type PointRow
} from '../store/tracing.js';
import { parseIsoTime } from '../../core/iso-time.js';
import { degreeBox } from '../../core/rules/geo.js';
import { infectiousWindow } from '../../core/rules/infectious-window.js';
import { point } from '../../core/rules/packed-facts.js';
import type { RuleSet } from '../../core/rules/rules-schema.js';
import { segments, type Segment } from '../../core/rules/trajectory.js';
import {
	TRACING_MAX_WINDOW_DAYS,
	TRACING_PURPOSE_MAX,
	type CoVisitor,
	type TracingCase,
	type TracingResult
} from '../../core/contract/tracing.js';
import { segmentOverlaps, summarise, visitOverlap, type Found } from './overlap.js';

const DAY_MS = 86_400_000;
/** 新型冠状病毒肺炎防控方案（第九版）: 4 days before onset — when the rules set no infectious look-back */
export const DEFAULT_LOOKBACK_DAYS = 4;
export const CASES_LISTED = 200;
export const LIMITS = {
	casePoints: 20_000,
	caseVisits: 2_000,
	visitorsPerVisit: 5_000,
	candidatePhones: 5_000,
	candidatePoints: 500_000,
	people: 2_000
};
const PHONE_CHUNK = 200;

const iso = (ms: number) => new Date(ms).toISOString();
const problem = (field: string, code: string, en: string, zh: string): FieldProblem => ({ field, code, message: { 'zh-CN': zh, en } });

/** The case record's infectious window (ms), as the active rules' companion rule reads it, capped to the maximum and to now. */
export function caseWindow(
	row: CaseRow,
	firstPositiveMs: number | undefined,
	rules: RuleSet,
	nowMs: number
): { from: number; until: number } {
	const companion = rules.rules['spatiotemporal-companion'];
	const lookback = companion.infectiousLookbackDays ?? rules.rules['venue-co-visit'].infectiousLookbackDays ?? DEFAULT_LOOKBACK_DAYS;
	const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? undefined : Math.floor(ms / 1000));
	const w = infectiousWindow(
		{
			ref: row.ref,
			...(row.onset_at === null ? {} : { onsetAt: s(row.onset_at) }),
			...(firstPositiveMs === undefined ? {} : { firstPositiveAt: s(firstPositiveMs) }),
			confirmedAt: s(row.confirmed_at),
			...(row.isolated_at === null ? {} : { isolatedAt: s(row.isolated_at) })
		},
		lookback
	);
	const until = Math.min(Number.isFinite(w.until) ? w.until * 1000 : row.confirmed_at, nowMs);
	const from = Math.max(Number.isFinite(w.from) ? w.from * 1000 : until - lookback * DAY_MS, until - TRACING_MAX_WINDOW_DAYS * DAY_MS);
	return { from, until };
}

async function masked(deps: IssuerDeps, refs: readonly string[]): Promise<Map<string, { name: string; idMasked: string }>> {
	const out = new Map<string, { name: string; idMasked: string }>();
	for (let i = 0; i < refs.length; i += 500)
		for (const p of await livePeopleByIdHmac(deps.db, refs.slice(i, i + 500)))
			if (!out.has(p.id_hmac) || p.relation === 'self') out.set(p.id_hmac, { name: p.name_masked, idMasked: p.id_masked });
	return out;
}

async function caseViews(deps: IssuerDeps, rows: readonly CaseRow[], rules: RuleSet, now: number): Promise<TracingCase[]> {
	const refs = [...new Set(rows.map((r) => r.ref))];
	const people = await masked(deps, refs);
	const positives = await firstPositiveSamples(deps.db, refs);
	return rows.map((r) => {
		const w = caseWindow(r, positives.get(r.ref), rules, now);
		const who = people.get(r.ref);
		return {
			id: r.id,
			ref: r.ref,
			name: who?.name ?? null,
			idMasked: who?.idMasked ?? null,
			confirmedAt: iso(r.confirmed_at),
			onsetAt: r.onset_at === null ? null : iso(r.onset_at),
			isolatedAt: r.isolated_at === null ? null : iso(r.isolated_at),
			releasedAt: r.released_at === null ? null : iso(r.released_at),
			window: { from: iso(w.from), until: iso(w.until) }
		};
	});
}

/** The newest confirmed case records (masked identity) with their default windows. */
export async function tracingCases(deps: IssuerDeps): Promise<TracingCase[]> {
	const { rules } = await activeRules(deps.db);
	return caseViews(deps, await latestCases(deps.db, CASES_LISTED), rules, deps.clock());
}

export async function caseOrThrow(deps: IssuerDeps, caseId: unknown): Promise<CaseRow> {
	const row = typeof caseId === 'string' && caseId.length <= 200 ? await caseById(deps.db, caseId) : undefined;
	if (!row) throw new DomainError('tracing/case-not-found');
	return row;
}

export interface TraceRequest {
	caseId: unknown;
	from?: unknown;
	until?: unknown;
	purpose: unknown;
}

function checkPurpose(purpose: unknown, errors: FieldProblem[]): string {
	const p = typeof purpose === 'string' ? purpose.trim() : '';
	if (!p) errors.push(problem('purpose', 'purpose/required', 'say why you need this list', '请填写查询目的'));
	else if (p.length > TRACING_PURPOSE_MAX) errors.push(problem('purpose', 'purpose/too-long', 'at most 500 characters', '最多 500 个字符'));
	return p;
}

function checkTime(x: unknown, field: string, errors: FieldProblem[]): number | undefined {
	if (x === undefined || x === null || x === '') return undefined;
	const t = typeof x === 'string' ? parseIsoTime(x) : NaN;
	if (Number.isNaN(t)) errors.push(problem(field, 'time/format', 'an ISO 8601 time with a zone', '须为带时区的 ISO 8601 时间'));
	return Number.isNaN(t) ? undefined : t;
}

/** The co-visitors of a case in a window (default: its infectious window), audited with the purpose. */
export async function traceCase(deps: IssuerDeps, staffId: string, req: TraceRequest): Promise<TracingResult> {
	const now = deps.clock();
	const errors: FieldProblem[] = [];
	const purpose = checkPurpose(req.purpose, errors);
	const from = checkTime(req.from, 'from', errors);
	const until = checkTime(req.until, 'until', errors);
	if (from !== undefined && until !== undefined) {
		if (until <= from) errors.push(problem('until', 'time/order', 'must be after the start', '须晚于开始时间'));
		else if (until - from > TRACING_MAX_WINDOW_DAYS * DAY_MS)
			errors.push(
				problem('from', 'window/too-long', `at most ${TRACING_MAX_WINDOW_DAYS} days`, `时间范围最长 ${TRACING_MAX_WINDOW_DAYS} 天`)
			);
	} else if ((from === undefined) !== (until === undefined) && !errors.some((e) => e.field === 'from' || e.field === 'until')) {
		errors.push(
			problem(from === undefined ? 'from' : 'until', 'window/both', 'give both ends, or neither', '请同时填写开始和结束时间，或都不填')
		);
	}
	if (errors.length) throw new DomainError('tracing/invalid', { errors });
	const row = await caseOrThrow(deps, req.caseId);
	const { rules } = await activeRules(deps.db);
	const [view] = await caseViews(deps, [row], rules, now);
	const window =
		from !== undefined && until !== undefined
			? { from, until }
			: { from: parseIsoTime(view!.window.from), until: parseIsoTime(view!.window.until) };

	const { found, truncated } = await coVisitors(deps, row.ref, window, rules);
	const all = summarise(found);
	const listed = all.slice(0, LIMITS.people);
	const refs = listed.map((p) => p.ref);
	const people = await masked(deps, refs);
	const colours = new Map<string, string>();
	for (let i = 0; i < refs.length; i += 500) for (const c of await coloursOf(deps.db, refs.slice(i, i + 500))) colours.set(c.ref, c.colour);
	const contacts = await contactsOfCase(deps.db, row.ref);
	const venueIds = [...new Set(listed.flatMap((p) => p.evidence.filter((e) => e.kind === 'venue').map((e) => e.place)))];
	const venues = await venueNames(deps.db, venueIds);
	const minutes = (ms: number) => Math.round(ms / 6_000) / 10;
	const out: CoVisitor[] = listed.map((p) => ({
		ref: p.ref,
		name: people.get(p.ref)?.name ?? null,
		idMasked: people.get(p.ref)?.idMasked ?? null,
		colour: colours.get(p.ref) ?? null,
		contact: contacts.get(p.ref) ?? null,
		overlapMinutes: minutes(p.overlapMs),
		first: iso(p.first),
		last: iso(p.last),
		evidence: p.evidence.map((e) => ({
			kind: e.kind,
			place: e.kind === 'venue' ? (venues.get(e.place) ?? e.place) : e.place,
			overlapMinutes: minutes(e.overlapMs),
			from: iso(e.from),
			until: iso(e.until)
		}))
	}));
	const result: TracingResult = {
		case: view!,
		window: { from: iso(window.from), until: iso(window.until) },
		people: out,
		truncated: truncated || all.length > listed.length
	};
	await recordStaffAction(deps.db, {
		actor: (await staffUsername(deps.db, staffId)) ?? `staff/${staffId}`,
		action: 'tracing.query',
		personHash: row.ref,
		target: row.id,
		purpose,
		detail: { from: result.window.from, until: result.window.until, people: out.length, truncated: result.truncated },
		at: now
	});
	return result;
}

function boxAround(lat: number, lon: number, reachM: number): BBox {
	const { dLat, dLon } = degreeBox(lat, reachM + 1);
	return { west: lon - dLon, east: lon + dLon, south: lat - dLat, north: lat + dLat };
}

const toPoint = (p: PointRow) => (p.lat === null || p.lon === null ? null : point(p.id, p.at, p.lat, p.lon, p.accuracy_m, p.cell));

/** Everything found with the case in the window, and whether a cap was reached. */
async function coVisitors(
	deps: IssuerDeps,
	caseRef: string,
	window: { from: number; until: number },
	rules: RuleSet
): Promise<{ found: Found[]; truncated: boolean }> {
	const db = deps.db;
	let truncated = false;
	const found: Found[] = [];

	// venues: each case visit against the others' visits within the venue rule's minutes
	const windowMs = rules.rules['venue-co-visit'].windowMinutes * 60_000;
	const caseVisits = await visitsOfRefIn(db, caseRef, window.from, window.until, LIMITS.caseVisits);
	if (caseVisits.length >= LIMITS.caseVisits) truncated = true;
	for (const v of caseVisits) {
		const others = await visitsAtVenue(db, v.venue_id, v.at - windowMs, v.at + windowMs, LIMITS.visitorsPerVisit);
		if (others.length >= LIMITS.visitorsPerVisit) truncated = true;
		for (const o of others) {
			if (o.ref === caseRef) continue;
			const i = visitOverlap(v.at, o.at, windowMs);
			if (i) found.push({ ref: o.ref, kind: 'venue', place: v.venue_id, from: i.from, until: i.until });
		}
	}

	// trajectories: the case's presence segments, then the phones near them, then those phones' own segments
	const precise = rules.rules['spatiotemporal-companion'].precise;
	const test = { distanceM: precise.distanceM, accuracyFactor: precise.accuracyFactor, maxAccuracyM: precise.maxAccuracyM };
	const gapMs = rules.trajectory.maxPointGapMinutes * 60_000;
	const caseRows = await pointsOfRefIn(db, caseRef, window.from, window.until, LIMITS.casePoints);
	if (caseRows.length >= LIMITS.casePoints) truncated = true;
	const casePhones = new Set(caseRows.map((p) => p.phone_hmac));
	const caseSegs = clip(
		segments(
			caseRows.map(toPoint).filter((p) => p !== null),
			gapMs / 1000
		),
		window
	);
	const phones = new Set<string>();
	const boxes = new Map<string, { box: BBox; from: number; until: number }>();
	const cells = new Map<string, { cells: Set<string>; from: number; until: number }>();
	for (const s of caseSegs) {
		const from = s.start * 1000 - gapMs;
		const until = s.end * 1000;
		const hour = Math.floor(s.start / 3600);
		if (s.accuracyM <= test.maxAccuracyM) {
			const key = `${gridOf(s.lat, s.lon)}|${hour}`;
			const box = boxAround(s.lat, s.lon, test.distanceM + test.accuracyFactor * (s.accuracyM + test.maxAccuracyM));
			const q = boxes.get(key);
			if (!q) boxes.set(key, { box, from, until });
			else {
				q.box = {
					west: Math.min(q.box.west, box.west),
					east: Math.max(q.box.east, box.east),
					south: Math.min(q.box.south, box.south),
					north: Math.max(q.box.north, box.north)
				};
				q.from = Math.min(q.from, from);
				q.until = Math.max(q.until, until);
			}
		}
		if (s.cell !== undefined) {
			const q = cells.get(String(hour));
			if (!q) cells.set(String(hour), { cells: new Set([s.cell]), from, until });
			else {
				q.cells.add(s.cell);
				q.from = Math.min(q.from, from);
				q.until = Math.max(q.until, until);
			}
		}
	}
	const room = () => LIMITS.candidatePhones - phones.size;
	for (const q of boxes.values()) {
		if (room() <= 0) break;
		for (const p of await phonesInBox(db, cellsCovering(q.box), q.box, q.from, q.until, room() + casePhones.size))
			if (!casePhones.has(p)) phones.add(p);
	}
	for (const q of cells.values()) {
		if (room() <= 0) break;
		for (const p of await phonesInCellsIn(db, [...q.cells], q.from, q.until, room() + casePhones.size))
			if (!casePhones.has(p)) phones.add(p);
	}
	if (room() <= 0) truncated = true;

	const list = [...phones];
	let loaded = 0;
	for (let i = 0; i < list.length && loaded < LIMITS.candidatePoints; i += PHONE_CHUNK) {
		const rows = await pointsOfPhonesIn(
			db,
			list.slice(i, i + PHONE_CHUNK),
			window.from - gapMs,
			window.until,
			LIMITS.candidatePoints - loaded
		);
		loaded += rows.length;
		const byPhone = new Map<string, PointRow[]>();
		// by phone and owner: a re-registered phone's points belong to each owner the registry names
		for (const r of rows) {
			const k = `${r.phone_hmac}\n${r.ref}`;
			const l = byPhone.get(k);
			if (l) l.push(r);
			else byPhone.set(k, [r]);
		}
		for (const ps of byPhone.values()) {
			if (ps[0]!.ref === caseRef) continue;
			const segs = segments(
				ps.map(toPoint).filter((p) => p !== null),
				gapMs / 1000
			);
			found.push(...segmentOverlaps(caseSegs, segs, ps[0]!.ref, test));
		}
	}
	if (loaded >= LIMITS.candidatePoints) truncated = true;
	return { found, truncated };
}

/** Segments cut to the window (seconds), empty ones dropped. */
function clip(segs: readonly Segment[], window: { from: number; until: number }): Segment[] {
	const from = window.from / 1000;
	const until = window.until / 1000;
	const out: Segment[] = [];
	for (const s of segs) {
		const start = Math.max(s.start, from);
		const end = Math.min(s.end, until);
		if (end > start) out.push({ ...s, start, end });
	}
	return out;
}
