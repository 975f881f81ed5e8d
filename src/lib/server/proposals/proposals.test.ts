/**
 * No one changes colours alone (issue 13): a risk area over the approval threshold changes no colour until a second
 * staff member approves it (the proposer cannot: proposal/own); rejection leaves colours untouched; approval
 * re-computes the preview and stops when the world moved; an urgent area applies at once and lapses after N hours
 * unapproved, its residents re-evaluated without it; a manual colour decision persists across later recolours until
 * withdrawn; an action under the threshold applies at once with its reason code audited; reasons are required;
 * proposal_events is append-only.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { declaredResident } from '../../testing/declared-resident.js';
import { DomainError } from '../domain-error.js';
import { colourHistory } from '../issuer/history.js';
import { myCodes } from '../issuer/my-codes.js';
import { idHmac } from '../issuer/people.js';
import { selfPerson } from '../store/people.js';
import { pushRecords } from '../sources/push.js';
import { recolour } from '../recolour/recolour.js';
import { addStaff } from '../staff/staff.js';
import { proposeImport, proposeRiskArea } from './actions.js';
import { proposeColourOverride, proposeOverrideWithdrawal } from './colour-override.js';
import { lapseOverdue, scheduleLapse } from './lapse.js';
import { approveProposal, getProposal, rejectProposal } from './proposals.js';

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
const LI = { name: '李娜', id: '440304198511124567', phone: '13900139000', region: '440304' };
const device = tweetnaclKeyPair(new Uint8Array(32).fill(5));
const H = 3_600_000;
const AREA = [
	[114.05, 22.54],
	[114.06, 22.54],
	[114.06, 22.55],
	[114.05, 22.55]
];
const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);
const apiError = (p: Promise<unknown>) =>
	p.then(
		() => null,
		(e: unknown) => (e instanceof DomainError ? e : Promise.reject(e as Error))
	);

const declared = (p: typeof ZHANG) => declaredResident(f, p, device);

/** 张伟 spends two hours inside AREA (30 h ago); 李娜 (`liInside`: too) stays 5 km east. */
async function trajectories(liInside = false) {
	const at = (k: number) => iso(f.clock.now - 30 * H + k * 15 * 60_000);
	const records = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [
		{ phone: ZHANG.phone, at: at(k), lat: 22.545, lon: 114.055, accuracyM: 20 },
		{ phone: LI.phone, at: at(k), lat: 22.545, lon: liInside ? 114.055 : 114.105, accuracyM: 20 }
	]);
	await pushRecords(f.deps, 'trajectory', { records }, 'source/carrier/k');
}

const colourOf = async (r: string) =>
	(await f.deps.db.selectFrom('resident_colours').select('colour').where('ref', '=', r).executeTakeFirst())?.colour;
const codesOf = async (account: string) => (await myCodes(f.deps, account)).people[0]!.codes.map((c) => c.colour);
const areaBody = (extra: Record<string, unknown> = {}) => ({
	name: '福田某小区',
	level: 'high',
	polygon: AREA,
	from: iso(f.clock.now - 48 * H),
	reasonCode: 'risk-area-outbreak',
	...extra
});
const proposalEvents = (id: string) =>
	f.deps.db.selectFrom('proposal_events').select(['action', 'actor', 'reason_code']).where('proposal_id', '=', id).orderBy('id').execute();

describe('proposals over the approval threshold', () => {
	beforeEach(() => {
		f.deps.config.approvalThreshold = 0; // one resident recoloured is over it
	});

	it('change no colour until a second staff member approves; the proposer cannot; the resident sees the reason', async () => {
		const zhang = await declared(ZHANG);
		await declared(LI);
		await trajectories();
		f.clock.now += 60_000;
		const out = await proposeRiskArea(f.deps, staffA, areaBody());
		expect(out.proposal).toMatchObject({ status: 'pending', reasonCode: 'risk-area-outbreak', proposedBy: 'staff.a', canApprove: false });
		expect(out.proposal.preview).toMatchObject({ changed: 1, transitions: { 'green→red': 1 } });
		expect(out.proposal.preview.samples).toEqual([
			{ id: ref(ZHANG.id).slice(0, 10), name: expect.stringContaining('*') as string, from: 'green', to: 'red' }
		]);
		// nothing happened yet
		expect(await colourOf(ref(ZHANG.id))).toBe('green');
		expect(await codesOf(zhang)).toEqual(['green', 'green']);
		expect(await f.deps.db.selectFrom('risk_areas').selectAll().execute()).toEqual([]);

		expect(await apiError(approveProposal(f.deps, out.proposal.id, staffA))).toMatchObject({ code: 'proposal/own' });
		expect(await colourOf(ref(ZHANG.id))).toBe('green');

		f.clock.now += 60_000;
		const approved = await approveProposal(f.deps, out.proposal.id, staffB);
		expect(approved.proposal).toMatchObject({ status: 'applied', decidedBy: 'staff.b' });
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
		expect(await codesOf(zhang)).toEqual(['red', 'red']);
		expect(await colourOf(ref(LI.id))).toBe('green');
		expect(await proposalEvents(out.proposal.id)).toEqual([
			{ action: 'proposed', actor: `staff/${staffA}`, reason_code: 'risk-area-outbreak' },
			{ action: 'approved', actor: `staff/${staffB}`, reason_code: 'risk-area-outbreak' },
			{ action: 'applied', actor: `staff/${staffB}`, reason_code: 'risk-area-outbreak' }
		]);
		const person = await selfPerson(f.deps.db, zhang);
		expect((await colourHistory(f.deps.db, person!.id))[0]).toMatchObject({
			colour: 'red',
			staffDecision: { proposalId: out.proposal.id, reasonCode: 'risk-area-outbreak' }
		});
		expect(await apiError(approveProposal(f.deps, out.proposal.id, staffB))).toMatchObject({ code: 'proposal/not-pending' });
	});

	it('rejection leaves colours untouched and the proposal can no longer be approved', async () => {
		const zhang = await declared(ZHANG);
		await trajectories();
		const out = await proposeRiskArea(f.deps, staffA, areaBody());
		const rejected = await rejectProposal(f.deps, out.proposal.id, staffB, { note: 'wrong block' });
		expect(rejected.proposal.status).toBe('rejected');
		expect(await apiError(approveProposal(f.deps, out.proposal.id, staffB))).toMatchObject({ code: 'proposal/not-pending' });
		expect(await colourOf(ref(ZHANG.id))).toBe('green');
		expect(await codesOf(zhang)).toEqual(['green', 'green']);
		expect(await f.deps.db.selectFrom('risk_areas').selectAll().execute()).toEqual([]);
		expect((await getProposal(f.deps, out.proposal.id, staffA)).events.map((e) => [e.action, e.actor, e.note])).toEqual([
			['proposed', 'staff.a', null],
			['rejected', 'staff.b', 'wrong block']
		]);
	});

	it('approval re-computes the preview: when the world moved the approver sees the new counts first', async () => {
		await declared(ZHANG);
		await declared(LI);
		await trajectories();
		const out = await proposeRiskArea(f.deps, staffA, areaBody());
		expect(out.proposal.preview.changed).toBe(1);
		await trajectories(true); // 李娜 turns out to have been there too
		expect(await apiError(approveProposal(f.deps, out.proposal.id, staffB))).toMatchObject({ code: 'proposal/preview-changed' });
		expect((await getProposal(f.deps, out.proposal.id, staffB)).proposal.preview).toMatchObject({
			changed: 2,
			transitions: { 'green→red': 2 }
		});
		expect(await colourOf(ref(LI.id))).toBe('green');
		await approveProposal(f.deps, out.proposal.id, staffB);
		expect(await colourOf(ref(LI.id))).toBe('red');
	});

	it('an urgent area applies at once, then lapses unapproved after N hours: the area ends and its residents are re-evaluated', async () => {
		f.deps.config.urgentApprovalHours = 4;
		const zhang = await declared(ZHANG);
		await trajectories();
		const out = await proposeRiskArea(f.deps, staffA, areaBody({ urgent: true }));
		expect(out.proposal).toMatchObject({ status: 'pending', urgent: true, deadlineAt: iso(f.clock.now + 4 * H) });
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
		expect(await codesOf(zhang)).toEqual(['red', 'red']);

		f.clock.now += 4 * H - 1000;
		expect(await lapseOverdue(f.deps)).toEqual([]);
		expect(await colourOf(ref(ZHANG.id))).toBe('red');

		f.clock.now += 1000;
		expect(await lapseOverdue(f.deps)).toEqual([out.proposal.id]);
		expect((await getProposal(f.deps, out.proposal.id, staffB)).proposal.status).toBe('lapsed');
		expect(await colourOf(ref(ZHANG.id))).toBe('green');
		expect(await codesOf(zhang)).toEqual(['green', 'green']);
		const area = await f.deps.db.selectFrom('risk_areas').select(['from_at', 'until_at']).executeTakeFirstOrThrow();
		expect(area.until_at).toBe(area.from_at); // as if it had never applied
		expect((await proposalEvents(out.proposal.id)).map((e) => [e.action, e.actor])).toEqual([
			['proposed', `staff/${staffA}`],
			['applied', `staff/${staffA}`],
			['lapsed', 'system/lapse']
		]);
		expect(await lapseOverdue(f.deps)).toEqual([]);
		expect(await apiError(approveProposal(f.deps, out.proposal.id, staffB))).toMatchObject({ code: 'proposal/not-pending' });
	});

	it('the server lapse job (scheduleLapse, as hooks.server.ts starts it) lapses an overdue urgent area with nobody asking', async () => {
		await declared(ZHANG);
		await trajectories();
		const out = await proposeRiskArea(f.deps, staffA, areaBody({ urgent: true }));
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
		f.clock.now += 4 * H;
		const logs: string[] = [];
		const stop = scheduleLapse(f.deps, 60_000, (m) => logs.push(m));
		await vi.waitFor(async () => expect((await getProposal(f.deps, out.proposal.id, staffB)).proposal.status).toBe('lapsed'));
		stop();
		await vi.waitFor(async () => expect(await colourOf(ref(ZHANG.id))).toBe('green'));
		await vi.waitFor(() => expect(logs).toEqual([`proposal lapse: urgent proposals lapsed unapproved: ${out.proposal.id}`]));
	});

	it('rejecting an urgent area in effect undoes it', async () => {
		const zhang = await declared(ZHANG);
		await trajectories();
		const out = await proposeRiskArea(f.deps, staffA, areaBody({ urgent: true }));
		expect(await codesOf(zhang)).toEqual(['red', 'red']);
		await rejectProposal(f.deps, out.proposal.id, staffB);
		expect(await colourOf(ref(ZHANG.id))).toBe('green');
		expect(await codesOf(zhang)).toEqual(['green', 'green']);
		expect(await lapseOverdue(f.deps)).toEqual([]);
	});

	it('an urgent area approved in time stays', async () => {
		await declared(ZHANG);
		await trajectories();
		const out = await proposeRiskArea(f.deps, staffA, areaBody({ urgent: true }));
		f.clock.now += H;
		expect((await approveProposal(f.deps, out.proposal.id, staffB)).proposal.status).toBe('applied');
		f.clock.now += 10 * H;
		expect(await lapseOverdue(f.deps)).toEqual([]);
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
	});
});

describe('console imports', () => {
	const upload = (csv: string, reason = 'case-confirmed') => {
		const url = new URL(`http://localhost/api/v1/console/imports?source=health&kind=cases&reasonCode=${reason}`);
		return proposeImport(f.deps, staffA, new Request(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv }), url);
	};
	const cases = async () => (await f.deps.db.selectFrom('cases').selectAll().execute()).length;

	it('over the threshold: validated and previewed, nothing imported until a second staff member approves', async () => {
		f.deps.config.approvalThreshold = 0;
		const zhang = await declared(ZHANG);
		const bad = await apiError(upload(`idNumber,confirmedAt\n${ZHANG.id},yesterday\n`));
		expect(bad).toMatchObject({ code: 'import/invalid-rows', errors: [{ field: 'line.2.confirmedAt' }] });
		// a wrong header row is named as such, not counted as bad rows
		const header = (await apiError(upload(`idNumber,confirmed\n${ZHANG.id},${iso(f.clock.now - H)}\n`))) as {
			code: string;
			errors: { field: string; code: string; message: { en: string } }[];
		};
		expect(header.code).toBe('import/bad-header');
		expect(header.errors.map((e) => [e.field, e.code, e.message.en.replace(/ \(.*$/, '')])).toEqual([
			['header.confirmed', 'import/unknown-column', 'header: unknown column confirmed'],
			['header.confirmedAt', 'import/missing-column', 'header: missing column confirmedAt']
		]);
		const out = await upload(`idNumber,confirmedAt\n${ZHANG.id},${iso(f.clock.now - H)}\n`);
		expect(out.proposal).toMatchObject({ status: 'pending', kind: 'import', preview: { changed: 1, transitions: { 'green→red': 1 } } });
		// the preview's writes were rolled back
		expect(await cases()).toBe(0);
		expect(await colourOf(ref(ZHANG.id))).toBe('green');
		expect(await codesOf(zhang)).toEqual(['green', 'green']);
		expect(await apiError(approveProposal(f.deps, out.proposal.id, staffA))).toMatchObject({ code: 'proposal/own' });
		const approved = await approveProposal(f.deps, out.proposal.id, staffB);
		expect(approved.result).toMatchObject({ kind: 'cases', rows: 1, recoloured: { changed: 1 } });
		expect(await cases()).toBe(1);
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
		const person = await selfPerson(f.deps.db, zhang);
		expect((await colourHistory(f.deps.db, person!.id))[0]).toMatchObject({ staffDecision: { reasonCode: 'case-confirmed' } });
		// once applied, the proposal no longer keeps the file
		const row = await f.deps.db.selectFrom('proposals').select('payload_json').where('id', '=', out.proposal.id).executeTakeFirstOrThrow();
		expect(JSON.parse(row.payload_json)).not.toHaveProperty('data');
	});

	it('under the threshold: imported at once', async () => {
		await declared(ZHANG);
		const out = await upload(`idNumber,confirmedAt\n${ZHANG.id},${iso(f.clock.now - H)}\n`, 'test-result');
		expect(out.proposal).toMatchObject({ status: 'applied', reasonCode: 'test-result' });
		expect(await cases()).toBe(1);
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
	});
});

describe('manual colour decisions', () => {
	it('are always proposals; approved, they persist across later recolours until a withdrawal is approved', async () => {
		const li = await declared(LI);
		const out = await proposeColourOverride(f.deps, staffA, {
			idType: 'resident',
			idNumber: LI.id,
			colour: 'red',
			reasonCode: 'case-confirmed',
			note: '流调确认'
		});
		expect(out.proposal).toMatchObject({
			status: 'pending',
			kind: 'colour-override',
			preview: { changed: 1, transitions: { 'green→red': 1 } }
		});
		expect(out.proposal.summary).not.toContain(LI.id);
		expect(await colourOf(ref(LI.id))).toBe('green');
		expect(await apiError(approveProposal(f.deps, out.proposal.id, staffA))).toMatchObject({ code: 'proposal/own' });
		const approved = await approveProposal(f.deps, out.proposal.id, staffB);
		expect(await colourOf(ref(LI.id))).toBe('red');
		expect((await myCodes(f.deps, li)).people[0]!.codes.map((c) => [c.colour, c.reasons])).toEqual([
			['red', ['authority-decision']],
			['red', ['authority-decision']]
		]);
		// new facts and a full recolour later: the rules alone say green, the decision stands
		f.clock.now += H;
		await pushRecords(
			f.deps,
			'tests',
			{ records: [{ idNumber: LI.id, sampledAt: iso(f.clock.now - H), result: 'negative' }] },
			'source/health/k'
		);
		await recolour(f.deps, [ref(LI.id)], { actor: 'system/review' });
		expect(await colourOf(ref(LI.id))).toBe('red');
		const person = await selfPerson(f.deps.db, li);
		expect((await colourHistory(f.deps.db, person!.id))[0]).toMatchObject({
			colour: 'red',
			staffDecision: { reasonCode: 'case-confirmed' }
		});

		const { overrideId } = approved.result as { overrideId: string };
		const withdrawal = await proposeOverrideWithdrawal(f.deps, staffB, overrideId, { reasonCode: 'data-correction' });
		expect(withdrawal.proposal.preview.transitions).toEqual({ 'red→green': 1 });
		expect(await colourOf(ref(LI.id))).toBe('red');
		await approveProposal(f.deps, withdrawal.proposal.id, staffA);
		expect(await colourOf(ref(LI.id))).toBe('green');
		expect((await colourHistory(f.deps.db, person!.id))[0]).toMatchObject({
			colour: 'green',
			staffDecision: { reasonCode: 'data-correction' }
		});
	});

	it('end at their end time: the review re-evaluates by the rules alone', async () => {
		await declared(LI);
		const out = await proposeColourOverride(f.deps, staffA, {
			idType: 'resident',
			idNumber: LI.id,
			colour: 'yellow',
			until: iso(f.clock.now + 2 * H),
			reasonCode: 'contact-tracing'
		});
		await approveProposal(f.deps, out.proposal.id, staffB);
		expect(await colourOf(ref(LI.id))).toBe('yellow');
		const { reviewDue } = await import('../recolour/review-due.js');
		f.clock.now += 2 * H;
		await reviewDue(f.deps);
		expect(await colourOf(ref(LI.id))).toBe('green');
	});

	it('refuse bad input with field errors, writing nothing', async () => {
		const e = await apiError(
			proposeColourOverride(f.deps, staffA, {
				idType: 'resident',
				idNumber: '123',
				colour: 'blue',
				until: 'tomorrow',
				reasonCode: 'data-correction'
			})
		);
		expect(e).toMatchObject({ code: 'override/invalid' });
		expect(e!.errors!.map((x) => x.field).sort()).toEqual(['colour', 'idNumber', 'until']);
		expect(await f.deps.db.selectFrom('proposals').selectAll().execute()).toEqual([]);
	});
});

describe('actions under the threshold', () => {
	it('apply at once with their reason code audited; a reason is required (other needs a note)', async () => {
		const zhang = await declared(ZHANG);
		await trajectories();
		expect(await apiError(proposeRiskArea(f.deps, staffA, areaBody({ reasonCode: undefined })))).toMatchObject({ code: 'proposal/reason' });
		expect(await apiError(proposeRiskArea(f.deps, staffA, areaBody({ reasonCode: 'because' })))).toMatchObject({ code: 'proposal/reason' });
		const other = await apiError(proposeRiskArea(f.deps, staffA, areaBody({ reasonCode: 'other' })));
		expect(other).toMatchObject({ code: 'proposal/reason', errors: [{ field: 'note', code: 'reason/note-required' }] });
		expect(await f.deps.db.selectFrom('risk_areas').selectAll().execute()).toEqual([]);
		expect(await f.deps.db.selectFrom('proposals').selectAll().execute()).toEqual([]);

		const out = await proposeRiskArea(f.deps, staffA, areaBody({ reasonCode: 'other', note: '演练' }));
		expect(out.proposal).toMatchObject({ status: 'applied', reasonCode: 'other', note: '演练', decidedBy: null });
		expect(out.result).toMatchObject({ recoloured: { changed: 1 } });
		expect(await colourOf(ref(ZHANG.id))).toBe('red');
		expect(await codesOf(zhang)).toEqual(['red', 'red']);
		expect(await proposalEvents(out.proposal.id)).toEqual([
			{ action: 'proposed', actor: `staff/${staffA}`, reason_code: 'other' },
			{ action: 'applied', actor: `staff/${staffA}`, reason_code: 'other' }
		]);
		const person = await selfPerson(f.deps.db, zhang);
		expect((await colourHistory(f.deps.db, person!.id))[0]).toMatchObject({
			staffDecision: { proposalId: out.proposal.id, reasonCode: 'other' }
		});
	});

	it('leave an append-only audit: proposal_events refuses update and delete', async () => {
		await declared(ZHANG);
		await trajectories();
		await proposeRiskArea(f.deps, staffA, areaBody());
		await expect(f.deps.db.updateTable('proposal_events').set({ actor: 'someone-else' }).execute()).rejects.toThrow(/append-only/);
		await expect(f.deps.db.deleteFrom('proposal_events').execute()).rejects.toThrow(/append-only/);
	});
});
