/**
 * Contact tracing (issue 15): a confirmed case's co-visitors from GPS fixes close by, shared cells and venue
 * visits, with overlap minutes, in the case's infectious window by default; every query needs a purpose and is
 * audited; marking people as contacts goes through proposals (applied under the threshold) and recolours them
 * through the normal path.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { declaredResident } from '../../testing/declared-resident.js';
import { DomainError } from '../domain-error.js';
import { idHmac } from '../issuer/people.js';
import { pushRecords } from '../sources/push.js';
import { addStaff } from '../staff/staff.js';
import { staffAuditPage } from '../store/staff-audit.js';
import { markContacts } from './mark.js';
import { traceCase, tracingCases } from './trace.js';

let f: IssuerFixture;
let staff: string;
beforeEach(async () => {
	f = await issuerFixture();
	staff = await addStaff(f.deps.db, 'tracer', 'password-of-tracer', f.clock.now);
});
afterEach(() => f.close());

const ZHANG = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const LI = { name: '李娜', id: '440304198511124567', phone: '13900139000', region: '440304' };
const CASE_ID = '440305198001011235';
const CASE_PHONE = '13700137000';
const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
const H = 3_600_000;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);
const colourOf = async (r: string) =>
	(await f.deps.db.selectFrom('resident_colours').select('colour').where('ref', '=', r).executeTakeFirst())?.colour;
const refused = (p: Promise<unknown>) =>
	p.then(
		() => null,
		(e: unknown) => (e instanceof DomainError ? e : Promise.reject(e as Error))
	);

/**
 * The case (onset 3 days ago, confirmed 1 h ago) stands at one spot for two hours 30 h ago with 张伟 beside it; 李娜
 * stays 5 km east; someone without an account visits the case's venue 10 minutes after it.
 */
async function outbreak(): Promise<{ caseId: string; visitor: string }> {
	await declaredResident(f, ZHANG, device);
	await declaredResident(f, LI, device);
	await pushRecords(f.deps, 'phones', { records: [{ phone: CASE_PHONE, idNumber: CASE_ID }] }, 'source/carrier/k');
	const at = (k: number) => iso(f.clock.now - 30 * H + k * 15 * MIN);
	const records = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [
		{ phone: CASE_PHONE, at: at(k), lat: 22.545, lon: 114.055, accuracyM: 10 },
		{ phone: ZHANG.phone, at: at(k), lat: 22.5451, lon: 114.0551, accuracyM: 10 },
		{ phone: LI.phone, at: at(k), lat: 22.545, lon: 114.105, accuracyM: 10 }
	]);
	await pushRecords(f.deps, 'trajectory', { records }, 'source/carrier/k');
	const visitor = 'visitor-ref-without-account';
	await f.deps.db
		.insertInto('venue_visits')
		.values([
			{ id: 'v-case', ref: ref(CASE_ID), venue_id: 'venue-market', at: f.clock.now - 20 * H },
			{ id: 'v-other', ref: visitor, venue_id: 'venue-market', at: f.clock.now - 20 * H + 10 * MIN },
			{ id: 'v-late', ref: 'too-late-visitor-ref', venue_id: 'venue-market', at: f.clock.now - 20 * H + 45 * MIN }
		])
		.execute();
	await pushRecords(
		f.deps,
		'cases',
		{ records: [{ idNumber: CASE_ID, confirmedAt: iso(f.clock.now - H), onsetAt: iso(f.clock.now - 72 * H) }] },
		'source/health/k'
	);
	const [c] = await tracingCases(f.deps);
	return { caseId: c!.id, visitor };
}

describe('tracing a confirmed case', () => {
	it('lists the case with its infectious window (4 days before onset until confirmation)', async () => {
		await outbreak();
		const cases = await tracingCases(f.deps);
		expect(cases).toHaveLength(1);
		expect(cases[0]).toMatchObject({ ref: ref(CASE_ID), name: null, onsetAt: iso(f.clock.now - 72 * H) });
		expect(cases[0]!.window).toEqual({ from: iso(f.clock.now - 72 * H - 4 * 24 * H), until: iso(f.clock.now - H) });
	});

	it('finds the GPS companion and the venue co-visitor with overlap minutes and place, not the person 5 km away; audited', async () => {
		const { caseId, visitor } = await outbreak();
		const r = await traceCase(f.deps, staff, { caseId, purpose: '流调：病例 1 的密接排查' });
		const byRef = new Map(r.people.map((p) => [p.ref, p]));
		expect([...byRef.keys()].sort()).toEqual([ref(ZHANG.id), visitor].sort());
		const zhang = byRef.get(ref(ZHANG.id))!;
		// eight points 15 min apart: seven 15-minute segments side by side (the last point covers only its instant)
		expect(zhang.overlapMinutes).toBe(105);
		expect(zhang.evidence).toEqual([expect.objectContaining({ kind: 'gps', place: '22.545,114.055', overlapMinutes: 105 })]);
		expect(zhang.name).toBe('张*');
		expect(zhang.colour).toBe('yellow');
		const v = byRef.get(visitor)!;
		// venue rule window 30 min: visits 10 min apart overlap 20 min; the one 45 min later does not count
		expect(v.evidence).toEqual([expect.objectContaining({ kind: 'venue', place: 'venue-market', overlapMinutes: 20 })]);
		expect(v.name).toBeNull();
		expect(r.truncated).toBe(false);

		expect(await staffAuditPage(f.deps.db, { action: 'tracing.query' }, 10)).toEqual([
			expect.objectContaining({ actor: 'tracer', person_hash: ref(CASE_ID), target: caseId, purpose: '流调：病例 1 的密接排查' })
		]);
	});

	it('a window the officer gives bounds the search: before the meeting, nobody', async () => {
		const { caseId } = await outbreak();
		const r = await traceCase(f.deps, staff, {
			caseId,
			from: iso(f.clock.now - 60 * H),
			until: iso(f.clock.now - 40 * H),
			purpose: 'check'
		});
		expect(r.people).toEqual([]);
		expect(r.window).toEqual({ from: iso(f.clock.now - 60 * H), until: iso(f.clock.now - 40 * H) });
	});

	it('refuses without a purpose, a window over 21 days, half a window, an unknown case — and audits nothing', async () => {
		const { caseId } = await outbreak();
		const fields = async (p: Promise<unknown>) => (await refused(p))?.errors?.map((e) => `${e.field}:${e.code}`);
		expect(await fields(traceCase(f.deps, staff, { caseId, purpose: '  ' }))).toEqual(['purpose:purpose/required']);
		expect(
			await fields(traceCase(f.deps, staff, { caseId, purpose: 'x', from: iso(f.clock.now - 30 * 24 * H), until: iso(f.clock.now) }))
		).toEqual(['from:window/too-long']);
		expect(await fields(traceCase(f.deps, staff, { caseId, purpose: 'x', from: iso(f.clock.now - H) }))).toEqual(['until:window/both']);
		expect((await refused(traceCase(f.deps, staff, { caseId: 'nope', purpose: 'x' })))?.code).toBe('tracing/case-not-found');
		expect(await staffAuditPage(f.deps.db, { action: 'tracing.query' }, 10)).toEqual([]);
	});
});

describe('marking contacts', () => {
	it('under the threshold: applied at once through the normal path (张伟 becomes a close contact: red), audited', async () => {
		const { caseId } = await outbreak();
		expect(await colourOf(ref(ZHANG.id))).toBe('yellow');
		const out = await markContacts(f.deps, staff, {
			caseId,
			kind: 'close',
			people: [{ ref: ref(ZHANG.id), exposedAt: iso(f.clock.now - 28 * H) }],
			reasonCode: 'contact-tracing'
		});
		expect(out.proposal).toMatchObject({ kind: 'contacts', status: 'applied' });
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
		const facts = await f.deps.db.selectFrom('contacts').select(['ref', 'kind', 'to_ref']).execute();
		expect(facts).toEqual([{ ref: ref(ZHANG.id), kind: 'close', to_ref: ref(CASE_ID) }]);
		expect(await staffAuditPage(f.deps.db, { action: 'tracing.mark' }, 10)).toEqual([
			expect.objectContaining({ actor: 'tracer', person_hash: ref(CASE_ID), target: out.proposal.id })
		]);
		// marked again: the same fact, updated, not a second one
		await markContacts(f.deps, staff, {
			caseId,
			kind: 'close',
			people: [{ ref: ref(ZHANG.id), exposedAt: iso(f.clock.now - 27 * H) }],
			reasonCode: 'contact-tracing'
		});
		expect(await f.deps.db.selectFrom('contacts').select('id').execute()).toHaveLength(1);
	});

	it('a secondary contact turns yellow (李娜, green before)', async () => {
		const { caseId } = await outbreak();
		expect(await colourOf(ref(LI.id))).toBe('green');
		await markContacts(f.deps, staff, {
			caseId,
			kind: 'secondary',
			people: [{ ref: ref(LI.id), exposedAt: iso(f.clock.now - 28 * H) }],
			reasonCode: 'contact-tracing'
		});
		expect(await colourOf(ref(LI.id))).toBe('yellow');
	});

	it('above the approval threshold: a pending proposal, nobody recoloured yet', async () => {
		const { caseId } = await outbreak();
		f.deps.config.approvalThreshold = 0;
		const out = await markContacts(f.deps, staff, {
			caseId,
			kind: 'secondary',
			people: [{ ref: ref(LI.id), exposedAt: iso(f.clock.now - 28 * H) }],
			reasonCode: 'contact-tracing'
		});
		expect(out.proposal).toMatchObject({ kind: 'contacts', status: 'pending' });
		expect(await colourOf(ref(LI.id))).toBe('green');
		expect(await f.deps.db.selectFrom('contacts').select('id').execute()).toHaveLength(0);
	});

	it('refuses a bad kind, nobody selected, a future exposure, no reason code', async () => {
		const { caseId } = await outbreak();
		const codes = async (body: Record<string, unknown>) => {
			const e = await refused(markContacts(f.deps, staff, { caseId, reasonCode: 'contact-tracing', ...body } as never));
			return [e?.code, e?.errors?.map((x) => x.code)];
		};
		expect(await codes({ kind: 'family', people: [{ ref: ref(LI.id), exposedAt: iso(f.clock.now - H) }] })).toEqual([
			'tracing/invalid',
			['contact/kind']
		]);
		expect(await codes({ kind: 'close', people: [] })).toEqual(['tracing/invalid', ['people/required']]);
		expect(await codes({ kind: 'close', people: [{ ref: ref(LI.id), exposedAt: iso(f.clock.now + H) }] })).toEqual([
			'tracing/invalid',
			['time/range']
		]);
		expect(await codes({ kind: 'close', reasonCode: undefined, people: [{ ref: ref(LI.id), exposedAt: iso(f.clock.now - H) }] })).toEqual([
			'proposal/reason',
			['reason/unknown']
		]);
	});
});
