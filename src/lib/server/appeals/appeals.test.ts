/**
 * Appeals to an outcome (issue 15): a positive test recorded wrongly is corrected from the appeal — recorded with
 * before/after, who and why, the person recoloured through the normal path (new code, the old one revoked) and the
 * appeal upheld; a colour override waits for a second officer (in review), then the appeal is upheld; a rejected
 * override reopens it; a rejection needs a reason; the queue puts old open appeals first and flags them after 24 h;
 * person lookup is exact, needs a purpose and is audited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { declaredResident } from '../../testing/declared-resident.js';
import { DomainError } from '../domain-error.js';
import { listAppeals, submitAppeal } from '../issuer/appeals.js';
import { myCodes } from '../issuer/my-codes.js';
import { idHmac } from '../issuer/people.js';
import { pushRecords } from '../sources/push.js';
import { addStaff } from '../staff/staff.js';
import { approveProposal, rejectProposal } from '../proposals/proposals.js';
import { appealDetail, correctFactsForAppeal, listAppealQueue, overrideForAppeal, rejectAppeal } from './resolve-appeal.js';
import { lookUpPerson } from './person-lookup.js';

let f: IssuerFixture;
let staffA: string;
let staffB: string;
beforeEach(async () => {
	f = await issuerFixture();
	staffA = await addStaff(f.deps.db, 'staff.a', 'password-of-a-123', f.clock.now);
	staffB = await addStaff(f.deps.db, 'staff.b', 'password-of-b-123', f.clock.now);
});
afterEach(() => f.close());

const ZHANG = { name: '张伟', id: '440305199003071236', phone: '13800138000', region: '440305' };
const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);
const code = (p: Promise<unknown>) =>
	p.then(
		() => null,
		(e: unknown) => (e instanceof DomainError ? e.code : Promise.reject(e as Error))
	);
const colourOf = async (r: string) =>
	(await f.deps.db.selectFrom('resident_colours').select('colour').where('ref', '=', r).executeTakeFirst())?.colour;

/** 张伟, declared, then a positive test that was not his (the import error the appeal is about). */
async function wronglyRed(): Promise<{ account: string; appealId: string }> {
	const account = await declaredResident(f, ZHANG, device);
	f.clock.now += H;
	await pushRecords(
		f.deps,
		'tests',
		{ records: [{ idNumber: ZHANG.id, sampledAt: iso(f.clock.now - H), result: 'positive' }] },
		'source/health/k'
	);
	expect(await colourOf(ref(ZHANG.id))).toBe('red');
	const personId = (await myCodes(f.deps, account)).people[0]!.personId;
	const appeal = await submitAppeal(f.deps, account, { personId, text: '我没有做过这次检测，结果不是我的', reason: 'positive-test' });
	return { account, appealId: appeal.id };
}

describe('appeals to an outcome', () => {
	it('a fact corrected: recorded, recoloured through the normal path, the appeal upheld and the resident told why', async () => {
		const { account, appealId } = await wronglyRed();
		const detail = await appealDetail(f.deps, staffA, appealId);
		expect(detail.appeal.person.idMasked).toBe('4403**********1236');
		const reason = detail.dossier.reasons.find((r) => r.reason === 'positive-test')!;
		expect(reason.facts).toEqual([expect.objectContaining({ kind: 'test', value: 'positive', source: 'health' })]);
		const test = detail.dossier.records.find((r) => r.kind === 'test')!;
		const oldCodes = (await myCodes(f.deps, account)).people[0]!.codes.map((c) => c.codeId);

		// a correction with no reason text is refused by field
		expect(
			await code(correctFactsForAppeal(f.deps, staffA, appealId, { changes: [], why: '', resolution: '', reasonCode: 'data-correction' }))
		).toBe('appeal/invalid');
		const out = await correctFactsForAppeal(f.deps, staffA, appealId, {
			changes: [{ kind: 'test', id: test.id, action: 'negative' }],
			why: '检测机构确认样本编号录错',
			resolution: '经核实，检测结果录入错误，已更正为阴性。',
			reasonCode: 'data-correction'
		});
		expect(out.action?.proposal.status).toBe('applied');
		expect(out.appeal).toMatchObject({ status: 'upheld', outcome: 'fact-corrected', resolvedBy: 'staff.a' });
		expect(await colourOf(ref(ZHANG.id))).toBe('green');
		const codes = (await myCodes(f.deps, account)).people[0]!.codes;
		expect(codes.at(-1)!.colour).toBe('green');
		const revoked = await f.deps.db.selectFrom('codes').select(['code_id', 'status']).where('code_id', 'in', oldCodes).execute();
		expect(revoked.every((c) => c.status !== 'live')).toBe(true);
		const corrections = await f.deps.db.selectFrom('fact_corrections').selectAll().execute();
		expect(corrections).toHaveLength(1);
		expect(JSON.parse(corrections[0]!.before_json)).toMatchObject({ result: 'positive' });
		expect(JSON.parse(corrections[0]!.after_json!)).toMatchObject({ result: 'negative' });
		expect(corrections[0]).toMatchObject({ corrected_by: 'staff.a', why: '检测机构确认样本编号录错', appeal_id: appealId });
		await expect(f.deps.db.deleteFrom('fact_corrections').execute()).rejects.toThrow();
		expect((await listAppeals(f.deps, account))[0]).toMatchObject({
			status: 'upheld',
			outcome: 'fact-corrected',
			resolution: '经核实，检测结果录入错误，已更正为阴性。'
		});
		const audit = await f.deps.db.selectFrom('staff_audit').select(['action', 'actor', 'target']).orderBy('id').execute();
		expect(audit.map((a) => a.action)).toEqual(['appeal.view', 'appeal.resolve']);
		// handled: no second outcome
		expect(await code(rejectAppeal(f.deps, staffB, appealId, { resolution: '再次处理' }))).toBe('appeal/not-open');
	});

	it('an override waits for a second officer; approved, the appeal is upheld; rejected, it is open again', async () => {
		const { account, appealId } = await wronglyRed();
		const out = await overrideForAppeal(f.deps, staffA, appealId, {
			colour: 'green',
			resolution: '复核后认定为误判，改为绿码。',
			reasonCode: 'appeal-upheld'
		});
		expect(out.appeal.status).toBe('in-review');
		expect(out.action?.proposal.status).toBe('pending');
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
		// in review: no answer shown to the resident until a second officer has decided
		expect((await listAppeals(f.deps, account))[0]).toMatchObject({ status: 'in-review', outcome: null, resolution: null });
		await rejectProposal(f.deps, out.action!.proposal.id, staffB);
		expect((await listAppeals(f.deps, account))[0]).toMatchObject({ status: 'open', outcome: null, resolution: null });

		const again = await overrideForAppeal(f.deps, staffA, appealId, {
			colour: 'green',
			resolution: '复核后认定为误判，改为绿码。',
			reasonCode: 'appeal-upheld'
		});
		expect(await code(approveProposal(f.deps, again.action!.proposal.id, staffA))).toBe('proposal/own');
		await approveProposal(f.deps, again.action!.proposal.id, staffB);
		expect(await colourOf(ref(ZHANG.id))).toBe('green');
		expect((await listAppeals(f.deps, account))[0]).toMatchObject({ status: 'upheld', outcome: 'override' });
	});

	it('a case record that was not theirs is removed (through the proposal path); a record that is not there is refused as stale', async () => {
		const account = await declaredResident(f, ZHANG, device);
		f.clock.now += H;
		await pushRecords(f.deps, 'cases', { records: [{ idNumber: ZHANG.id, confirmedAt: iso(f.clock.now - H) }] }, 'source/health/k');
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
		const personId = (await myCodes(f.deps, account)).people[0]!.personId;
		const { id } = await submitAppeal(f.deps, account, { personId, text: '我不是确诊病例，记录搞错了人', reason: 'confirmed-case' });
		const detail = await appealDetail(f.deps, staffA, id);
		const record = detail.dossier.records.find((r) => r.kind === 'case')!;
		expect(detail.dossier.reasons.map((r) => r.reason)).toContain('confirmed-case');
		const body = {
			changes: [{ kind: 'case', id: record.id, action: 'remove' }],
			why: '流调确认病例身份证号录错',
			resolution: '病例记录属于他人，已删除。',
			reasonCode: 'data-correction'
		};
		// a record that is not (or no longer) there: refused, nothing written
		const stale = await code(
			correctFactsForAppeal(f.deps, staffA, id, { ...body, changes: [{ kind: 'case', id: 'no-such-case', action: 'remove' }] })
		);
		expect(stale).toBe('correction/stale');
		expect(await f.deps.db.selectFrom('fact_corrections').select('id').execute()).toEqual([]);
		const out = await correctFactsForAppeal(f.deps, staffA, id, body);
		expect(out.action?.proposal).toMatchObject({ kind: 'fact-correction', status: 'applied', reasonCode: 'data-correction' });
		expect(await colourOf(ref(ZHANG.id))).toBe('green');
		expect(await f.deps.db.selectFrom('cases').select('id').where('ref', '=', ref(ZHANG.id)).execute()).toEqual([]);
		const row = await f.deps.db.selectFrom('fact_corrections').selectAll().executeTakeFirstOrThrow();
		expect(row).toMatchObject({ fact_kind: 'case', after_json: null, proposal_id: out.action!.proposal.id });
		// the history says a staff decision with its reason code changed the colour
		const events = await f.deps.db.selectFrom('colour_events').select(['colour', 'reason_code']).orderBy('id', 'desc').execute();
		expect(events[0]).toEqual({ colour: 'green', reason_code: 'data-correction' });
	});

	it('over the threshold a correction waits for a second officer; a record changed before approval is refused, and the appeal reopens when rejected', async () => {
		f.deps.config.approvalThreshold = 0; // one resident recoloured is over it
		const { account, appealId } = await wronglyRed();
		const test = (await appealDetail(f.deps, staffA, appealId)).dossier.records.find((r) => r.kind === 'test')!;
		const out = await correctFactsForAppeal(f.deps, staffA, appealId, {
			changes: [{ kind: 'test', id: test.id, action: 'negative' }],
			why: '检测机构确认样本编号录错',
			resolution: '检测结果录入错误，已更正为阴性。',
			reasonCode: 'data-correction'
		});
		expect(out.action?.proposal.status).toBe('pending');
		expect(out.appeal.status).toBe('in-review');
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
		expect(await f.deps.db.selectFrom('fact_corrections').select('id').execute()).toEqual([]);
		// the source corrects the same row itself meanwhile: the approval would act on what the officer did not see
		await f.deps.db
			.updateTable('health_tests')
			.set({ received_at: f.clock.now + 1 })
			.where('id', '=', test.id)
			.execute();
		expect(await code(approveProposal(f.deps, out.action!.proposal.id, staffB))).toBe('correction/stale');
		await rejectProposal(f.deps, out.action!.proposal.id, staffB);
		expect((await listAppeals(f.deps, account))[0]).toMatchObject({ status: 'open', outcome: null });
	});

	it('the queue: open first, oldest first, overdue after 24 h; a rejection needs a reason', async () => {
		const { appealId } = await wronglyRed();
		f.clock.now += 25 * H;
		let q = await listAppealQueue(f.deps, null);
		expect(q.appeals[0]).toMatchObject({ id: appealId, status: 'open', overdue: true });
		expect(q.counts).toEqual({ open: 1, inReview: 0, overdue: 1 });
		expect(await code(rejectAppeal(f.deps, staffA, appealId, { resolution: '' }))).toBe('appeal/invalid');
		await rejectAppeal(f.deps, staffA, appealId, { resolution: '检测结果经核实无误。' });
		q = await listAppealQueue(f.deps, 'open');
		expect(q.appeals).toEqual([]);
		expect((await listAppealQueue(f.deps, 'rejected')).appeals[0]).toMatchObject({ outcome: 'rejected', overdue: false });
		expect(await code(listAppealQueue(f.deps, 'nonsense'))).toBe('appeal/invalid');
	});

	it('person lookup: exact match by ID or phone, purpose required, every lookup audited', async () => {
		await wronglyRed();
		expect(await code(lookUpPerson(f.deps, staffA, { by: 'id', idType: 'resident', value: ZHANG.id, purpose: '' }))).toBe('lookup/invalid');
		expect(await code(lookUpPerson(f.deps, staffA, { by: 'phone', value: '1380013', purpose: '核查申诉' }))).toBe('lookup/invalid');
		const byId = await lookUpPerson(f.deps, staffA, { by: 'id', idType: 'resident', value: ZHANG.id, purpose: '核查申诉材料' });
		expect(byId.people).toHaveLength(1);
		expect(byId.people[0]!.colour?.colour).toBe('red');
		expect(byId.people[0]!.appeals).toHaveLength(1);
		expect(byId.people[0]!.codes.length).toBeGreaterThan(0);
		const byPhone = await lookUpPerson(f.deps, staffA, { by: 'phone', value: ZHANG.phone, purpose: '核查申诉材料' });
		expect(byPhone.people[0]!.person.ref).toBe(byId.people[0]!.person.ref);
		expect(await code(lookUpPerson(f.deps, staffA, { by: 'phone', value: '13811112222', purpose: '核查申诉材料' }))).toBe(
			'lookup/not-found'
		);
		const audit = await f.deps.db.selectFrom('staff_audit').selectAll().where('action', '=', 'person.lookup').orderBy('id').execute();
		expect(audit.map((a) => [a.person_hash, a.purpose])).toEqual([
			[ref(ZHANG.id), '核查申诉材料'],
			[ref(ZHANG.id), '核查申诉材料'],
			[null, '核查申诉材料']
		]);
		expect(JSON.stringify(audit)).not.toContain(ZHANG.id);
		expect(JSON.stringify(audit)).not.toContain(ZHANG.phone);
	});
});
