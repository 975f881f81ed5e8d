/**
 * Member consent (issue 13): a member link shows nothing until the member's phone, the household register or a
 * staff member confirms it; the add answers alike for registered, unregistered and already-held IDs; adds are
 * rate-limited; the person sees and removes links to them (the holder's codes for them revoked); their own
 * declaration is never blocked by someone else's link.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { codeText } from '../../core/code-text.js';
import { fromBase64Url, toBase64Url } from '../../core/bytes.js';
import { tweetnaclBackend, tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { encodeLiveCode, timeStep } from '../../core/live-proof.js';
import { verifyCodeWithDocuments } from '../../core/verify-documents.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { DomainError } from '../domain-error.js';
import { readRootPublicKey, trustListPath } from '../keys/published.js';
import { setDeviceKey } from '../store/accounts.js';
import { linkEvents, memberLink } from '../store/member-links.js';
import { upsertGuardianships } from '../store/register.js';
import { accountForPhone } from './accounts.js';
import { submitDeclaration } from './declare.js';
import { myCodes } from './my-codes.js';
import { statusListDocument } from './status.js';
import { removeMember } from './members.js';
import { idHmac } from './people.js';
import {
	MEMBER_ADDS_PER_ACCOUNT_PER_DAY,
	MEMBER_ADDS_PER_ID_PER_DAY,
	addMember,
	approveLink,
	confirmByCode,
	linksForStaff,
	linksToMe,
	pendingOf,
	rejectLink,
	removeLinkToMe
} from './member-links.js';

let f: IssuerFixture;
const device = tweetnaclKeyPair(new Uint8Array(32).fill(9));
const IP = '127.0.0.1';

const ZHANG = { name: '张伟', idNumber: '440305199003071236', phone: '13800138000', region: '440305' };
const LI = { name: '李娜', idNumber: '440304198511124567', phone: '13900139000', region: '440304' };
const WANG_FANG = { name: '王芳', idNumber: '440306197805207892', phone: '13700137000', region: '440306' };
const XIUYING = { name: '王秀英', idNumber: '440306195002142344' };
const XIAOMING = { name: '王小明', idNumber: '440305201806015676' };

/** A valid GB 11643 number that is in no register (check digit computed). */
function unregisteredId(seq: number): string {
	const body = `44030319700101${String(seq).padStart(3, '0')}`;
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
	return body + '10X98765432'[sum % 11]!;
}

async function resident(p: { name: string; idNumber: string; phone: string; region: string }) {
	const id = await accountForPhone(f.deps, p.phone, f.clock.now);
	await setDeviceKey(f.deps.db, id, toBase64Url(device.publicKey));
	const account = { id };
	const out = await submitDeclaration(f.deps, account, {
		name: p.name,
		idType: 'resident',
		idNumber: p.idNumber,
		phone: p.phone,
		region: p.region,
		addressDetail: '1 栋',
		temperature: 36.5,
		symptoms: ['none'],
		travel: []
	});
	expect(out.status).toBe('verified');
	return account;
}

const add = (accountId: string, m: { name: string; idNumber: string }, evidence: Record<string, unknown>) =>
	addMember(f.deps, accountId, { name: m.name, idNumber: m.idNumber, evidence }, IP);

const errorOf = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e: unknown) => (e instanceof DomainError ? e.code : String(e))
	);

const proxies = async (accountId: string) => (await myCodes(f.deps, accountId)).people.filter((p) => p.relation === 'proxy');

async function verdict(credentialB64: string) {
	const qr = codeText(await encodeLiveCode(fromBase64Url(credentialB64)!, timeStep(f.clock.now), device.sign));
	return verifyCodeWithDocuments(qr, {
		trustList: new Uint8Array(readFileSync(trustListPath(f.deps.dataDir))),
		statusLists: [(await statusListDocument(f.deps.db, f.deps.keys, '440300', f.clock.now)).bytes],
		rootPublicKey: readRootPublicKey(f.deps.dataDir)!,
		now: f.clock.now,
		backend: tweetnaclBackend
	});
}

beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

describe('confirmed by the member’s own phone', () => {
	it('sends a code naming the adder to the registered phone; the code confirms the link and only then are codes issued', async () => {
		const zhang = await resident(ZHANG);
		const out = await add(zhang.id, LI, { method: 'phone', phone: LI.phone });
		expect(out).toEqual({ linkId: out.linkId, status: 'pending', requested: 'phone' });
		const sent = f.sms.filter((m) => m.phone === LI.phone);
		expect(sent).toHaveLength(1);
		expect(sent[0]!.text).toContain('张*');
		expect(sent[0]!.text).toContain('健康码颜色和原因');
		// pending: nothing of the member in the adder's codes, and the pending list carries no colour
		expect(await proxies(zhang.id)).toEqual([]);
		expect(await pendingOf(f.deps, zhang.id)).toEqual([
			{ linkId: out.linkId, maskedName: '李*', idMasked: expect.any(String) as string, requested: 'phone', createdAt: f.clock.now }
		]);
		const confirmed = await confirmByCode(f.deps, zhang.id, out.linkId, f.lastCode(LI.phone));
		expect(confirmed).toMatchObject({ status: 'confirmed', personId: expect.any(String) as string });
		const [li] = await proxies(zhang.id);
		expect(li?.maskedName).toBe('李*');
		expect((await verdict(li!.codes[0]!.credential)).claims).toMatchObject({ kind: 'proxy', maskedName: '李*', proxyName: '张*' });
		expect((await linkEvents(f.deps.db, out.linkId)).map((e) => e.action)).toEqual(['requested:phone', 'confirmed:phone']);
	});

	it('a wrong code confirms nothing', async () => {
		const zhang = await resident(ZHANG);
		const { linkId } = await add(zhang.id, LI, { method: 'phone', phone: LI.phone });
		const right = f.lastCode(LI.phone);
		const wrong = right === '000000' ? '000001' : '000000';
		expect(await errorOf(confirmByCode(f.deps, zhang.id, linkId, wrong))).toBe('otp/invalid');
		expect((await memberLink(f.deps.db, linkId))?.status).toBe('pending');
		expect(await proxies(zhang.id)).toEqual([]);
		// wrong guesses lock the link, never the member's own sign-in (three links' worth: more than sign-in's hourly cap)
		for (const id of [
			linkId,
			(await add(zhang.id, LI, { method: 'phone', phone: LI.phone })).linkId,
			(await add(zhang.id, LI, { method: 'phone', phone: LI.phone })).linkId
		])
			for (let i = 0; i < 5; i++) await errorOf(confirmByCode(f.deps, zhang.id, id, wrong));
		expect(await errorOf(confirmByCode(f.deps, zhang.id, linkId, right))).toMatch(/^otp\/(locked|invalid)$/);
		const { requestOtp, verifyOtp } = await import('../auth/otp.js');
		const signIn = await requestOtp(f.deps, { phone: LI.phone, clientIp: IP, nowMs: f.clock.now });
		expect(await errorOf(verifyOtp(f.deps, { ...signIn, phone: LI.phone, code: f.lastCode(LI.phone), nowMs: f.clock.now }))).toBe('ok');
		// another account cannot confirm someone else's request, even with the right code
		const wang = await resident(WANG_FANG);
		expect(await errorOf(confirmByCode(f.deps, wang.id, linkId, right))).toBe('member/link-not-found');
	});

	it('a phone that is not the member’s registered one gets no text, and the answer is the same as for the right one', async () => {
		const zhang = await resident(ZHANG);
		const before = f.sms.length;
		const wrongPhone = await add(zhang.id, LI, { method: 'phone', phone: WANG_FANG.phone });
		expect(f.sms.length).toBe(before); // nothing sent to 王芳's phone
		const rightPhone = await add(zhang.id, LI, { method: 'phone', phone: LI.phone });
		expect({ ...wrongPhone, linkId: '' }).toEqual({ ...rightPhone, linkId: '' });
		// no code exists that the adder could have been given: every guess fails
		for (const code of ['000000', f.lastCode(LI.phone)])
			expect(await errorOf(confirmByCode(f.deps, zhang.id, wrongPhone.linkId, code))).toBe('otp/invalid');
		expect((await memberLink(f.deps.db, wrongPhone.linkId))?.status).toBe('pending');
	});
});

describe('confirmed by the household register', () => {
	it('same household: confirmed at once, with codes', async () => {
		const wang = await resident(WANG_FANG);
		const out = await add(wang.id, XIUYING, { method: 'household' });
		expect(out).toMatchObject({ status: 'confirmed', requested: 'household', personId: expect.any(String) as string });
		const [m] = await proxies(wang.id);
		expect(m?.codes.length).toBeGreaterThan(0);
		expect(await memberLink(f.deps.db, out.linkId)).toMatchObject({ method: 'household', decided_by: 'household-register' });
	});

	it('the adder recorded as guardian (guardians kind): confirmed at once', async () => {
		const zhang = await resident(ZHANG);
		f.deps.config.maxMembers = 2; // the unconfirmed household request below holds no place
		expect((await add(zhang.id, XIAOMING, { method: 'household' })).status).toBe('pending');
		const ref = (id: string) => idHmac(f.deps.hmacKey, 'resident', id);
		await upsertGuardianships(
			f.deps.db,
			[{ guardianRef: ref(ZHANG.idNumber), wardRef: ref(XIAOMING.idNumber), relation: 'legal-guardian' }],
			f.clock.now
		);
		// the earlier pending request stays pending; a new one is confirmed
		expect((await add(zhang.id, XIAOMING, { method: 'household' })).status).toBe('confirmed');
		// a staff request holds a place: one member and one staff request reach the cap of 2
		expect((await add(zhang.id, XIUYING, { method: 'staff' })).status).toBe('pending');
		expect(await errorOf(add(zhang.id, LI, { method: 'staff' }))).toBe('member/limit');
	});

	it('guardian records arrive from the public-security source (kind guardians); bad rows are refused by field', async () => {
		const { pushRecords } = await import('../sources/push.js');
		const bad = await pushRecords(
			f.deps,
			'guardians',
			{ records: [{ guardianIdNumber: ZHANG.idNumber, wardIdNumber: ZHANG.idNumber, relation: 'uncle' }] },
			'source/public-security/k'
		).catch((e: unknown) => e);
		expect((bad as DomainError).errors!.map((e) => e.field).sort()).toEqual(['records.0.relation', 'records.0.wardIdNumber']);
		const out = await pushRecords(
			f.deps,
			'guardians',
			{ records: [{ guardianIdNumber: ZHANG.idNumber, wardIdNumber: XIAOMING.idNumber, relation: '监护人' }] },
			'source/public-security/k'
		);
		expect(out).toEqual({ accepted: 1, recoloured: { evaluated: 0, changed: 0 } });
		const zhang = await resident(ZHANG);
		expect((await add(zhang.id, XIAOMING, { method: 'household' })).status).toBe('confirmed');
	});

	it('no evidence: pending, and nothing of the member’s colour or codes reaches the adder', async () => {
		const zhang = await resident(ZHANG);
		const out = await add(zhang.id, XIUYING, { method: 'household' });
		expect(out).toEqual({ linkId: out.linkId, status: 'pending', requested: 'household' });
		expect(await proxies(zhang.id)).toEqual([]);
		const pending = await pendingOf(f.deps, zhang.id);
		expect(Object.keys(pending[0]!).sort()).toEqual(['createdAt', 'idMasked', 'linkId', 'maskedName', 'requested']);
		const codes = await f.deps.db
			.selectFrom('codes')
			.innerJoin('people', 'people.id', 'codes.person_id')
			.where('people.account_id', '=', zhang.id)
			.select('people.relation')
			.execute();
		expect(codes.every((c) => c.relation === 'self')).toBe(true);
	});
});

describe('staff approval with recorded evidence', () => {
	it('lists the request; approval needs an evidence note, is recorded and issues codes; rejection shows nothing', async () => {
		const zhang = await resident(ZHANG);
		const a = await add(zhang.id, XIUYING, { method: 'staff', note: '老人无手机，到社区窗口办理' });
		const b = await add(zhang.id, XIAOMING, { method: 'staff' });
		const listed = await linksForStaff(f.deps);
		expect(listed.map((l) => l.linkId)).toEqual([a.linkId, b.linkId]);
		expect(listed[0]).toMatchObject({ adderName: '张*', maskedName: '王*英', registerMatch: true, note: '老人无手机，到社区窗口办理' });
		expect(await errorOf(approveLink(f.deps, 'staff-1', a.linkId, ''))).toBe('member/invalid');
		expect(await proxies(zhang.id)).toEqual([]);
		await approveLink(f.deps, 'staff-1', a.linkId, '核验身份证原件及本人签字同意书');
		expect((await proxies(zhang.id)).map((p) => p.maskedName)).toEqual(['王*英']);
		expect(await rejectLink(f.deps, 'staff-2', b.linkId, '无法联系监护人')).toEqual({ linkId: b.linkId, status: 'rejected' });
		expect((await proxies(zhang.id)).map((p) => p.maskedName)).toEqual(['王*英']);
		expect(await errorOf(approveLink(f.deps, 'staff-1', b.linkId, '再次核验'))).toBe('member/link-not-pending');
		expect(await linksForStaff(f.deps)).toEqual([]);
		const events = await linkEvents(f.deps.db, a.linkId);
		expect(events.at(-1)).toMatchObject({ actor: 'staff/staff-1', action: 'confirmed:staff', note: '核验身份证原件及本人签字同意书' });
		expect((await linkEvents(f.deps.db, b.linkId)).at(-1)).toMatchObject({ actor: 'staff/staff-2', action: 'rejected' });
	});

	it('a staff member cannot approve a request the register does not match (name ↔ ID)', async () => {
		const zhang = await resident(ZHANG);
		const { linkId } = await add(zhang.id, { name: '王秀', idNumber: XIUYING.idNumber }, { method: 'staff' });
		expect(await errorOf(approveLink(f.deps, 'staff-1', linkId, '核验身份证原件'))).toBe('member/link-register-mismatch');
		expect(await proxies(zhang.id)).toEqual([]);
	});
});

describe('uniform answers', () => {
	it('registered, unregistered, wrong name and already held by another account all answer alike, for every method', async () => {
		const wang = await resident(WANG_FANG);
		await add(wang.id, XIUYING, { method: 'household' }); // 王秀英 is now held by 王芳's account
		const zhang = await resident(ZHANG);
		f.deps.config.maxMembers = 50;
		const shape = async (m: { name: string; idNumber: string }, evidence: Record<string, unknown>) => {
			const r = await add(zhang.id, m, evidence);
			return { ...r, linkId: typeof r.linkId === 'string' && r.linkId.length > 10 };
		};
		let n = 0;
		for (const method of ['household', 'staff', 'phone']) {
			f.clock.now += 86_400_000; // a fresh day's allowance for each method
			// the phone given is a number registered to no one: the same for every ID
			const evidence = method === 'phone' ? () => ({ method, phone: `1360013600${n % 10}` }) : () => ({ method });
			const answers = [
				await shape(XIUYING, evidence()), // registered, held by another account
				await shape({ name: '赵六', idNumber: unregisteredId(++n) }, evidence()), // not in the register
				await shape({ name: '王秀', idNumber: XIAOMING.idNumber }, evidence()), // registered, other name
				await shape(LI, evidence()) // registered, held by no one
			];
			for (const a of answers) expect(a).toEqual(answers[0]);
			expect(answers[0]).toEqual({ linkId: true, status: 'pending', requested: method });
		}
		expect(f.sms.filter((m) => m.phone.startsWith('136001360'))).toEqual([]);
	});

	it('several accounts hold confirmed links to the same person, each with its own codes', async () => {
		const wang = await resident(WANG_FANG);
		const zhang = await resident(ZHANG);
		await add(wang.id, XIUYING, { method: 'household' });
		const { linkId } = await add(zhang.id, XIUYING, { method: 'staff' });
		await approveLink(f.deps, 'staff-1', linkId, '核验身份证原件及委托书');
		const [w] = await proxies(wang.id);
		const [z] = await proxies(zhang.id);
		expect(w!.personId).not.toBe(z!.personId);
		expect(w!.codes[0]!.codeId).not.toBe(z!.codes[0]!.codeId);
	});
});

describe('rate limits', () => {
	it('per account: the adds after the daily allowance are refused with a retry time', async () => {
		const zhang = await resident(ZHANG);
		f.deps.config.maxMembers = 100;
		for (let i = 0; i < MEMBER_ADDS_PER_ACCOUNT_PER_DAY; i++)
			await add(zhang.id, { name: '赵六', idNumber: unregisteredId(i) }, { method: 'staff' });
		const refused = await add(zhang.id, { name: '赵六', idNumber: unregisteredId(99) }, { method: 'staff' }).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(DomainError);
		expect((refused as DomainError).code).toBe('member/rate-limited');
		expect((refused as DomainError).retryAfterSeconds).toBeGreaterThan(0);
		f.clock.now += 86_400_000;
		expect((await add(zhang.id, { name: '赵六', idNumber: unregisteredId(99) }, { method: 'staff' })).status).toBe('pending');
	});

	it('per ID: across accounts, one person cannot be named more often than the allowance', async () => {
		const accounts = [await resident(ZHANG), await resident(LI), await resident(WANG_FANG)];
		const results: string[] = [];
		for (let i = 0; i < MEMBER_ADDS_PER_ID_PER_DAY + 1; i++) {
			const a = accounts[i % accounts.length]!;
			results.push(await errorOf(add(a.id, { name: '赵六', idNumber: unregisteredId(7) }, { method: 'staff' })));
		}
		expect(results.slice(0, MEMBER_ADDS_PER_ID_PER_DAY).every((r) => r === 'ok')).toBe(true);
		expect(results.at(-1)).toBe('member/rate-limited');
	});
});

describe('the person’s own view', () => {
	it('lists who holds a link to them and removes it: the holder’s codes for them are revoked and the member is gone', async () => {
		const zhang = await resident(ZHANG);
		const { linkId } = await add(zhang.id, LI, { method: 'phone', phone: LI.phone });
		await confirmByCode(f.deps, zhang.id, linkId, f.lastCode(LI.phone));
		const [held] = await proxies(zhang.id);
		const credential = held!.codes[0]!.credential;
		expect((await verdict(credential)).verdict).toBe('valid');

		const li = await resident(LI);
		const links = await linksToMe(f.deps, li.id);
		expect(links).toEqual([
			{ linkId, holderName: '张*', holderIdMasked: '4403**********1236', status: 'confirmed', method: 'phone', since: f.clock.now }
		]);
		// not someone else's to remove
		expect(await errorOf(removeLinkToMe(f.deps, zhang.id, linkId))).toBe('member/link-not-found');
		await removeLinkToMe(f.deps, li.id, linkId);
		expect(await linksToMe(f.deps, li.id)).toEqual([]);
		expect(await proxies(zhang.id)).toEqual([]);
		expect((await verdict(credential)).reason).toBe('revoked');
		expect((await linkEvents(f.deps.db, linkId)).at(-1)).toMatchObject({ action: 'removed-by-person', actor: `resident/${li.id}` });
	});

	it('the adder removing the member ends the link the person sees', async () => {
		const wang = await resident(WANG_FANG);
		const zhang = await resident(ZHANG);
		const { linkId } = await add(wang.id, ZHANG, { method: 'phone', phone: ZHANG.phone });
		const { personId } = await confirmByCode(f.deps, wang.id, linkId, f.lastCode(ZHANG.phone));
		expect(await linksToMe(f.deps, zhang.id)).toHaveLength(1);
		await removeMember(f.deps, wang.id, personId!);
		expect(await linksToMe(f.deps, zhang.id)).toEqual([]);
	});
});

describe('own sign-in takes precedence', () => {
	it('a person linked by someone else declares for themselves: their own code, the link untouched', async () => {
		const zhang = await resident(ZHANG);
		const { linkId } = await add(zhang.id, LI, { method: 'phone', phone: LI.phone });
		await confirmByCode(f.deps, zhang.id, linkId, f.lastCode(LI.phone));
		const li = await resident(LI); // would have been 409 identity/registered-elsewhere before
		const own = (await myCodes(f.deps, li.id)).people;
		expect(own.map((p) => p.relation)).toEqual(['self']);
		expect((await verdict(own[0]!.codes[0]!.credential)).claims).toMatchObject({ kind: 'phone', maskedName: '李*' });
		expect(await proxies(zhang.id)).toHaveLength(1);
		// and a second phone declaring the same person is still refused
		const other = await accountForPhone(f.deps, '13500135000', f.clock.now);
		expect(
			await errorOf(
				submitDeclaration(
					f.deps,
					{ id: other },
					{
						name: LI.name,
						idType: 'resident',
						idNumber: LI.idNumber,
						phone: '13500135000',
						region: LI.region,
						addressDetail: '1 栋',
						temperature: 36.5,
						symptoms: ['none'],
						travel: []
					}
				)
			)
		).not.toBe('ok');
	});
});
