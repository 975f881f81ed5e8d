/**
 * A case import's companions evaluated on the slice of their points the screen read (screen-candidates.ts
 * evaluateSliced, slicedIsExact): the decision must be the full evaluation's — colour, reasons, the way back,
 * the events the explanation shows and the review time — though the slice never sees the resident's older
 * matches with other cases. Where that cannot be vouched for (a negative test after the new match), the
 * resident is evaluated in full.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { DEFAULT_RULES } from '../../core/rules/default-rules.js';
import type { Evaluation } from '../../core/rules/evaluate.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { declaredResident } from '../../testing/declared-resident.js';
import { idHmac } from '../issuer/people.js';
import { pushRecords } from '../sources/push.js';
import { upsertCases } from '../store/facts-import.js';
import { affectedPlan } from './affected.js';
import { loadEngine } from './engine.js';
import { evaluateFacts } from './evaluate-batch.js';
import { explanationJson } from './explanation.js';
import { loadPersonFacts } from './load-facts.js';
import { slicedIsExact, type ScreenStats } from './screen-candidates.js';
import { recolour } from './recolour.js';

let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

const OLD = { name: '王芳', id: '440306197805207892', phone: '13700137000', region: '440306' };
const NEW = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const LI = { name: '李娜', id: '440304198511124567', phone: '13900139000', region: '440304' };
const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);

/** `minutes` known only to cell C1 (800 m; × coarseWeight 0.5), then a fix far away */
const inCell = (phone: string, t: number, minutes: number) => [
	{ phone, at: iso(t), lat: 22.5405, lon: 114.06, cell: 'C1', accuracyM: 800 },
	{ phone, at: iso(t + minutes * MIN), lat: 22.8, lon: 114.4, accuracyM: 10 }
];
const negative = (id: string, at: number) => ({ idNumber: id, sampledAt: iso(at), result: 'negative' });

/** The decision as recolour.ts stores and serves it, without the audit's fact list. */
const decision = (ev: Evaluation) => ({
	colour: ev.colour,
	reasons: ev.reasons,
	pathToGreen: ev.pathToGreen,
	events: ev.events.map(({ facts: _facts, ...e }) => e),
	reviewAt: ev.reviewAt,
	explanation: explanationJson(ev)
});

/**
 * 10 days ago 李娜 was 40 min in the cell with 王芳, confirmed the next day, and then tested out (two negative tests
 * a day apart); 5 hours ago she was 40 min there with 张伟, and tested negative 4 hours ago. Then 张伟 is confirmed
 * (not yet recoloured): the import's search plan. `lateTest`: a second negative test after the new match, 2 hours ago.
 */
async function planAfterNewCase(lateTest: boolean) {
	for (const p of [OLD, NEW, LI]) await declaredResident(f, p, device);
	const now = f.clock.now;
	const t1 = now - 10 * DAY;
	await pushRecords(f.deps, 'trajectory', { records: [...inCell(OLD.phone, t1, 40), ...inCell(LI.phone, t1, 40)] }, 'source/carrier/k');
	await pushRecords(f.deps, 'cases', { records: [{ idNumber: OLD.id, confirmedAt: iso(now - 9 * DAY) }] }, 'source/health/k');
	// one test after the new match does not make her old match's time unknown; two do
	const tests = [negative(LI.id, now - 9 * DAY), negative(LI.id, now - 8 * DAY), negative(LI.id, now - 4 * HOUR)];
	await pushRecords(f.deps, 'tests', { records: lateTest ? [...tests, negative(LI.id, now - 2 * HOUR)] : tests }, 'source/health/k');
	const t2 = now - 5 * HOUR;
	await pushRecords(f.deps, 'trajectory', { records: [...inCell(NEW.phone, t2, 40), ...inCell(LI.phone, t2, 40)] }, 'source/carrier/k');
	const row = await f.deps.db
		.selectFrom('resident_colours')
		.select(['colour', 'reasons_json'])
		.where('ref', '=', ref(LI.id))
		.executeTakeFirstOrThrow();
	expect(row).toEqual({ colour: 'green', reasons_json: '[]' });
	const planned = await planForNewCase({ newCase: false });
	await f.deps.db.deleteFrom('cases').where('id', '=', 'new').execute();
	return { ...planned, t2 };
}

/**
 * 李娜 already yellow: 40 min in the cell with 王芳 at `oldAt`, 王芳 confirmed an hour later; then 40 min with 张伟 5 hours
 * ago, and 张伟 confirmed — a new case, so she is screened though she holds a companion reason.
 */
async function planForHolder(oldAt: number) {
	for (const p of [OLD, NEW, LI]) await declaredResident(f, p, device);
	const now = f.clock.now;
	await pushRecords(
		f.deps,
		'trajectory',
		{ records: [...inCell(OLD.phone, oldAt, 40), ...inCell(LI.phone, oldAt, 40)] },
		'source/carrier/k'
	);
	await pushRecords(f.deps, 'cases', { records: [{ idNumber: OLD.id, confirmedAt: iso(oldAt + HOUR) }] }, 'source/health/k');
	await pushRecords(
		f.deps,
		'trajectory',
		{ records: [...inCell(NEW.phone, now - 5 * HOUR, 40), ...inCell(LI.phone, now - 5 * HOUR, 40)] },
		'source/carrier/k'
	);
	const row = await f.deps.db
		.selectFrom('resident_colours')
		.select(['reasons_json'])
		.where('ref', '=', ref(LI.id))
		.executeTakeFirstOrThrow();
	expect(row.reasons_json).toBe('["spatiotemporal-companion"]');
	return planForNewCase({ newCase: true });
}

/**
 * 张伟 confirmed 30 minutes ago (his case row written, nobody recoloured yet): the import's search plan, and the
 * full evaluation of 李娜 — her 15 days of points against every case. `newCase`: the import says the case is new.
 */
async function planForNewCase(opts: { newCase: boolean }) {
	const now = f.clock.now;
	await f.deps.db
		.transaction()
		.execute((tx) => upsertCases(tx, [{ id: 'new', ref: ref(NEW.id), confirmedAt: now - 30 * MIN, releasedAt: null }], now));
	const stats: ScreenStats = { found: 0, screened: 0, matched: 0 };
	const refs = [ref(NEW.id)];
	const plan = await affectedPlan(
		f.deps.db,
		{
			refs: new Set(refs),
			phones: new Set(),
			caseRefs: new Set(refs),
			...(opts.newCase ? { newCaseRefs: new Set(refs) } : {}),
			riskAreas: []
		},
		now,
		stats
	);
	const engine = await loadEngine(f.deps.db, now);
	const full = evaluateFacts(engine, (await loadPersonFacts(f.deps.db, [ref(LI.id)], now)).get(ref(LI.id))!, Math.floor(now / 1000));
	return { plan, stats, full };
}

describe('a case import’s companions evaluated on their slice', () => {
	it('holder of a companion reason from an earlier match: the full evaluation’s decision, the new match being the latest', async () => {
		const { plan, stats, full } = await planForHolder(f.clock.now - 3 * DAY);
		expect(plan.evaluated.map((r) => r.ref)).toEqual([ref(LI.id)]);
		expect(stats).toMatchObject({ matched: 1, sliced: 1 });
		expect(decision(plan.evaluated[0]!.ev)).toEqual(decision(full.ev));
		expect(full.ev.events[0]!.at).toBeGreaterThan(Math.floor((f.clock.now - 6 * HOUR) / 1000));
	});

	it('holder whose stored match is later than the new one: evaluated in full', async () => {
		const { plan, stats, full } = await planForHolder(f.clock.now - 3 * HOUR);
		expect(plan.evaluated).toEqual([]);
		expect(plan.refs.has(ref(LI.id))).toBe(true);
		expect(stats).toMatchObject({ matched: 1, sliced: 0, fellBack: 1 });
		// the full evaluation keeps the old, later event: the slice alone would have moved it back
		expect(full.ev.events[0]!.at).toBeGreaterThan(Math.floor((f.clock.now - 4 * HOUR) / 1000));
	});

	it('gives the full evaluation’s decision, with an older tested-out match with another case outside the slice', async () => {
		const { plan, stats, full, t2 } = await planAfterNewCase(false);
		expect(plan.evaluated.map((r) => r.ref)).toEqual([ref(LI.id)]);
		expect([...plan.refs]).toEqual([ref(NEW.id)]);
		expect(stats).toMatchObject({ matched: 1, sliced: 1 });
		const sliced = plan.evaluated[0]!;
		expect(full.ev.colour).toBe('yellow');
		expect(full.ev.events.find((e) => e.reason === 'spatiotemporal-companion')?.at).toBeGreaterThan(Math.floor(t2 / 1000));
		expect(decision(sliced.ev)).toEqual(decision(full.ev));
		expect(sliced.lastNegativeTestAt).toBe(full.lastNegativeTestAt);
		// the audit's fact list: the full one also names the old, tested-out match's points (the slice never saw them)
		expect(full.ev.factsUsed).toEqual(expect.arrayContaining(sliced.ev.factsUsed));
		expect(full.ev.factsUsed.length).toBeGreaterThan(sliced.ev.factsUsed.length);

		// the import itself (recolourPlan): the case and 李娜 change; a full re-evaluation afterwards changes and moves nothing
		const out = await pushRecords(
			f.deps,
			'cases',
			{ records: [{ idNumber: NEW.id, confirmedAt: iso(f.clock.now - 30 * MIN) }] },
			'source/health/k'
		);
		expect(out.recoloured).toEqual({ evaluated: 2, changed: 2 });
		const again = await recolour(f.deps, [ref(LI.id)], { actor: 'test' });
		expect(again).toMatchObject({ changed: 0, moved: { reviewAt: 0, explanation: 0 } });
	});

	it('evaluates in full when two negative tests after the new match leave the latest old match unknown', async () => {
		const { plan, stats, full } = await planAfterNewCase(true);
		expect(plan.evaluated).toEqual([]);
		expect([...plan.refs].sort()).toEqual([ref(NEW.id), ref(LI.id)].sort());
		expect(stats).toMatchObject({ matched: 1, sliced: 0, fellBack: 1 });
		expect(full.ev.colour).toBe('yellow');
	});

	it('vouches for a new match only when it is later than any old match without a reason can be', () => {
		const rule = DEFAULT_RULES.rules['spatiotemporal-companion'];
		expect(rule).toMatchObject({ holdDays: 0, tests: { count: 2 } });
		const now = 1_000_000_000;
		const ev = (at: number): Evaluation => ({
			colour: 'yellow',
			reasons: ['spatiotemporal-companion'],
			pathToGreen: [],
			events: [{ reason: 'spatiotemporal-companion', at, facts: [], endsAt: null }],
			factsUsed: [],
			ruleVersion: DEFAULT_RULES.version,
			reviewAt: null
		});
		// no negative test at all, or one from the new match on (the rule asks for 2): no old match after it lacks a reason
		expect(slicedIsExact(DEFAULT_RULES, ev(now - 3600), [], now)).toBe(true);
		expect(slicedIsExact(DEFAULT_RULES, ev(now - 3600), [now - 86_400, now - 7200, now - 1800], now)).toBe(true);
		// two from it on: an old match later than the new one may have been tested out
		expect(slicedIsExact(DEFAULT_RULES, ev(now - 3600), [now - 3600, now - 60], now)).toBe(false);
		// green: nothing from the rule to vouch for
		expect(slicedIsExact(DEFAULT_RULES, { ...ev(0), colour: 'green', reasons: [], events: [] }, [now], now)).toBe(true);
		// a stored reason from an old match: exact only with the reason again, from a later match
		const stored = { 'spatiotemporal-companion': now - 7200 };
		expect(slicedIsExact(DEFAULT_RULES, ev(now - 3600), [now - 3600, now - 60], now, stored)).toBe(true);
		expect(slicedIsExact(DEFAULT_RULES, ev(now - 7200), [], now, stored)).toBe(false);
		expect(slicedIsExact(DEFAULT_RULES, { ...ev(0), colour: 'green', reasons: [], events: [] }, [], now, stored)).toBe(false);
	});
});
