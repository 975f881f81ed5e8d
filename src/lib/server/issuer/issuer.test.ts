/**
 * The issuer's services on a real database and real keys: declaration → cross-check → codes that verify,
 * identity mismatches, a source that is down, current + next codes, colour changes revoking old codes,
 * members (cap, consent, removal), appeals, device change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../core/bytes.js';
import { codeText } from '../../core/code-text.js';
import { tweetnaclBackend, tweetnaclKeyPair } from '../../core/ed25519/tweetnacl.js';
import { encodeLiveCode, timeStep } from '../../core/live-proof.js';
import { toBase64Url } from '../../core/bytes.js';
import { verifyCodeWithDocuments } from '../../core/verify-documents.js';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { DomainError } from '../domain-error.js';
import { readRootPublicKey } from '../keys/published.js';
import { readFileSync } from 'node:fs';
import { trustListPath } from '../keys/published.js';
import { accountForPhone } from './accounts.js';
import { submitAppeal, listAppeals } from './appeals.js';
import { submitDeclaration } from './declare.js';
import { addMember, removeMember } from './members.js';
import { myCodes } from './my-codes.js';
import { paperCode } from './paper-code.js';
import { colourHistory } from './history.js';
import { statusListDocument } from './status.js';
import { setDeviceKey } from '../store/accounts.js';

let f: IssuerFixture;
const device = tweetnaclKeyPair(new Uint8Array(32).fill(8));
const PHONE = '13800138000';

const declaration = (over: Record<string, unknown> = {}) => ({
	name: '张伟',
	idType: 'resident',
	idNumber: '440305199003071236',
	phone: PHONE,
	region: '440305',
	addressDetail: '科技园南区 1 栋',
	temperature: 36.5,
	symptoms: ['none'],
	travel: [],
	...over
});

async function account(phone = PHONE, withDevice = true) {
	const id = await accountForPhone(f.deps, phone, f.clock.now);
	if (withDevice) await setDeviceKey(f.deps.db, id, toBase64Url(device.publicKey));
	return { id, phone };
}

const errorCode = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e: unknown) => (e instanceof DomainError ? e.code : String(e))
	);

async function verifyLive(credentialB64: string, statusLists: Uint8Array[] = []) {
	const credential = fromBase64Url(credentialB64)!;
	const qr = codeText(await encodeLiveCode(credential, timeStep(f.clock.now), device.sign));
	const status = statusLists.length ? statusLists : [(await statusListDocument(f.deps.db, f.deps.keys, '440300', f.clock.now)).bytes];
	return verifyCodeWithDocuments(qr, {
		trustList: new Uint8Array(readFileSync(trustListPath(f.deps.dataDir))),
		statusLists: status,
		rootPublicKey: readRootPublicKey(f.deps.dataDir)!,
		now: f.clock.now,
		backend: tweetnaclBackend
	});
}

beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

describe('declaration → codes', () => {
	it('a verified declaration yields a green current code and a pre-issued next one, both verifying', async () => {
		const a = await account();
		const out = await submitDeclaration(f.deps, a, declaration());
		expect(out).toMatchObject({ status: 'verified', colour: 'green', codesIssued: true });
		const { people, etag } = await myCodes(f.deps, a.id);
		expect(people).toHaveLength(1);
		const [current, next] = people[0]!.codes;
		expect(current!.iat).toBe(f.clock.now);
		expect(current!.exp - current!.iat).toBe(24 * 3_600_000);
		expect(next!.iat).toBe(current!.exp - 3_600_000); // overlaps the current one by an hour
		const v = await verifyLive(current!.credential);
		expect(v).toMatchObject({ verdict: 'valid', claims: { colour: 'green', maskedName: '张*', idSuffix: '1236', kind: 'phone' } });
		// The next code is not valid yet, and becomes valid when its time comes.
		expect((await verifyLive(next!.credential)).reason).toBe('not-yet-valid');
		expect((await myCodes(f.deps, a.id)).etag).toBe(etag);
	});

	it('a declared fever is yellow with the reason in the code; the earlier green code is revoked', async () => {
		const a = await account();
		await submitDeclaration(f.deps, a, declaration());
		const green = (await myCodes(f.deps, a.id)).people[0]!.codes[0]!;
		f.clock.now += 60_000;
		expect(await submitDeclaration(f.deps, a, declaration({ temperature: 38.2 }))).toMatchObject({ colour: 'yellow' });
		const yellow = (await myCodes(f.deps, a.id)).people[0]!.codes[0]!;
		expect((await verifyLive(yellow.credential)).claims).toMatchObject({ colour: 'yellow', reasons: ['fever-declared'] });
		expect((await verifyLive(green.credential)).reason).toBe('revoked');
		// The status list delta since the empty list carries exactly the revoked codes (current + next).
		const delta = await statusListDocument(f.deps.db, f.deps.keys, '440300', f.clock.now, 1);
		expect(delta.seq).toBe(2);
	});

	it.each([
		['an ID number not in the household register', { idNumber: '440305199003071244', name: '张伟' }, 'identity/not-registered'],
		['a name that does not match the ID number', { name: '张为' }, 'identity/name-mismatch'],
		['a phone registered to someone else', { phone: PHONE, name: '李娜', idNumber: '440304198511124567' }, 'identity/phone-mismatch']
	])('refuses %s with a clear error and no code', async (_label, over, expected) => {
		const a = await account();
		expect(await errorCode(submitDeclaration(f.deps, a, declaration(over)))).toBe(expected);
		expect((await myCodes(f.deps, a.id)).people).toHaveLength(0);
	});

	it('field errors come back per field; nothing is stored', async () => {
		const a = await account();
		const e = await submitDeclaration(f.deps, a, declaration({ temperature: 50, phone: 'x', extra: 1 })).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(DomainError);
		expect((e as DomainError).errors!.map((x) => x.field).sort()).toEqual(['extra', 'phone', 'temperature']);
		expect(await f.deps.db.selectFrom('declarations').selectAll().execute()).toHaveLength(0);
	});

	it('a cross-check source that is down leaves the declaration pending and the colour unchanged', async () => {
		await f.close();
		f = await issuerFixture({ sources: (base) => ({ ...base, phoneOwner: () => Promise.reject(new Error('carrier down')) }) });
		const a = await account();
		expect(await submitDeclaration(f.deps, a, declaration({ temperature: 39 }))).toMatchObject({ status: 'pending' });
		const { people } = await myCodes(f.deps, a.id);
		expect(people[0]!.codes).toHaveLength(0);
		expect(people[0]!.declaration!.status).toBe('pending');
		expect(await f.deps.db.selectFrom('colour_events').selectAll().execute()).toHaveLength(0);
	});

	it('without a registered device no phone code is issued; registering it later issues them on the next fetch', async () => {
		const a = await account(PHONE, false);
		expect(await submitDeclaration(f.deps, a, declaration())).toMatchObject({ codesIssued: false });
		expect((await myCodes(f.deps, a.id)).people[0]!.codes).toHaveLength(0);
		await setDeviceKey(f.deps.db, a.id, toBase64Url(device.publicKey));
		expect((await myCodes(f.deps, a.id)).people[0]!.codes).toHaveLength(2);
	});

	it('tops up codes as time passes, without a new decision in the history', async () => {
		const a = await account();
		await submitDeclaration(f.deps, a, declaration());
		f.clock.now += 23.5 * 3_600_000;
		const codes = (await myCodes(f.deps, a.id)).people[0]!.codes;
		expect(codes.some((c) => c.exp > f.clock.now + 20 * 3_600_000)).toBe(true);
		expect(await f.deps.db.selectFrom('colour_events').selectAll().execute()).toHaveLength(1);
	});
});

describe('members', () => {
	const member = (over: Record<string, unknown> = {}) => ({
		name: '王秀英',
		idNumber: '440306195002142344',
		evidence: { method: 'household' },
		...over
	});

	it('adds a proxy member (same household in the register) whose code says who presents it; removing revokes it', async () => {
		const a = await account('13700137000');
		await submitDeclaration(
			f.deps,
			a,
			declaration({ name: '王芳', idNumber: '440306197805207892', phone: '13700137000', region: '440306' })
		);
		const { personId, status } = await addMember(f.deps, a.id, member(), '127.0.0.1');
		expect(status).toBe('confirmed');
		const people = (await myCodes(f.deps, a.id)).people;
		const proxy = people.find((p) => p.personId === personId)!;
		const v = await verifyLive(proxy.codes[0]!.credential);
		expect(v.claims).toMatchObject({ kind: 'proxy', maskedName: '王*英', proxyName: '王*' });
		await removeMember(f.deps, a.id, personId!);
		expect((await verifyLive(proxy.codes[0]!.credential)).reason).toBe('revoked');
	});

	it('needs evidence, valid fields, the holder declared first, and respects the cap', async () => {
		const a = await account('13700137000');
		expect(await errorCode(addMember(f.deps, a.id, member(), '127.0.0.1'))).toBe('member/declare-self-first');
		await submitDeclaration(
			f.deps,
			a,
			declaration({ name: '王芳', idNumber: '440306197805207892', phone: '13700137000', region: '440306' })
		);
		expect(await errorCode(addMember(f.deps, a.id, member({ evidence: undefined }), '127.0.0.1'))).toBe('member/invalid');
		expect(await errorCode(addMember(f.deps, a.id, member({ evidence: { method: 'phone' } }), '127.0.0.1'))).toBe('member/invalid');
		expect(await errorCode(addMember(f.deps, a.id, member({ idNumber: '440306195002142345' }), '127.0.0.1'))).toBe('member/invalid');
		// the form shows the server's message: it says which part of the number failed
		const bad = await addMember(f.deps, a.id, member({ idNumber: '440306195002142345' }), '127.0.0.1').catch((e: DomainError) => e);
		const problem = (bad as DomainError).errors?.find((e) => e.field === 'idNumber');
		expect(problem?.code).toBe('id/checksum');
		expect(problem?.message.en).toMatch(/check digit/);
		expect(problem?.message['zh-CN']).toMatch(/校验位/);
		const region = await addMember(f.deps, a.id, member({ idNumber: '990306195002142344' }), '127.0.0.1').catch((e: DomainError) => e);
		expect((region as DomainError).errors?.find((e) => e.field === 'idNumber')?.code).toBe('id/region');
		f.deps.config.maxMembers = 1;
		expect(await errorCode(addMember(f.deps, a.id, member(), '127.0.0.1'))).toBe('ok');
		expect(await errorCode(addMember(f.deps, a.id, member({ name: '王小明', idNumber: '440305201806015676' }), '127.0.0.1'))).toBe(
			'member/limit'
		);
	});
});

describe('appeals', () => {
	it('submits and lists an appeal for the holder; refuses another account’s person', async () => {
		const a = await account();
		await submitDeclaration(f.deps, a, declaration({ temperature: 38 }));
		const { people } = await myCodes(f.deps, a.id);
		const appeal = await submitAppeal(f.deps, a.id, {
			personId: people[0]!.personId,
			codeId: people[0]!.codes[0]!.codeId,
			text: '体温计故障，已复测 36.6'
		});
		expect(appeal.status).toBe('open');
		expect(await listAppeals(f.deps, a.id)).toHaveLength(1);
		const other = await account('13900139000');
		expect(await errorCode(submitAppeal(f.deps, other.id, { personId: people[0]!.personId, text: '不是我的人' }))).toBe(
			'appeal/person-not-found'
		);
		expect(await errorCode(submitAppeal(f.deps, a.id, { personId: people[0]!.personId, text: 'x' }))).toBe('appeal/invalid');
	});

	it('names the contested reason when one is picked; refuses a reason that is not one', async () => {
		const a = await account();
		await submitDeclaration(f.deps, a, declaration({ temperature: 38 }));
		const { people } = await myCodes(f.deps, a.id);
		const personId = people[0]!.personId;
		expect((await submitAppeal(f.deps, a.id, { personId, text: '体温计故障，已复测 36.6', reason: 'fever-declared' })).reason).toBe(
			'fever-declared'
		);
		expect((await submitAppeal(f.deps, a.id, { personId, text: '颜色整体有误', reason: null })).reason).toBeNull();
		expect((await listAppeals(f.deps, a.id)).map((x) => x.reason).sort()).toEqual(['fever-declared', null]);
		const bad = await submitAppeal(f.deps, a.id, { personId, text: '原因写错了', reason: 'toString' }).catch((e: unknown) => e);
		expect(bad).toBeInstanceOf(DomainError);
		expect((bad as DomainError).code).toBe('appeal/invalid');
		expect((bad as DomainError).errors?.map((e) => e.field)).toEqual(['reason']);
	});
});

describe('paper codes', () => {
	it('issues a static paper code that verifies, adds no history entry, and leaves the phone codes alone', async () => {
		const a = await account();
		await submitDeclaration(f.deps, a, declaration());
		const before = await myCodes(f.deps, a.id);
		const historyBefore = await colourHistory(f.deps.db, before.people[0]!.personId);
		const paper = await paperCode(f.deps, a.id, {});
		expect(paper).toMatchObject({ colour: 'green', maskedName: '张*', idSuffix: '1236' });
		// The paper policy (default 7 days), not the phone codes' 24 h.
		expect(paper.exp - paper.iat).toBe(7 * 86_400_000);
		const verdict = await verifyCodeWithDocuments(paper.text, {
			trustList: new Uint8Array(readFileSync(trustListPath(f.deps.dataDir))),
			statusLists: [(await statusListDocument(f.deps.db, f.deps.keys, '440300', f.clock.now)).bytes],
			rootPublicKey: readRootPublicKey(f.deps.dataDir)!,
			now: f.clock.now,
			backend: tweetnaclBackend
		});
		expect(verdict).toMatchObject({ verdict: 'valid', claims: { kind: 'paper' } });
		expect(await colourHistory(f.deps.db, before.people[0]!.personId)).toEqual(historyBefore);
		// The phone's own codes are untouched (the account's codes version may move: a write happened).
		const after = await myCodes(f.deps, a.id);
		const ids = (r: typeof before) => r.people.flatMap((p) => p.codes.map((c) => c.codeId));
		expect(ids(after)).toEqual(ids(before));
		expect(await errorCode(paperCode(f.deps, a.id, { personId: 'nobody' }))).toBe('person/not-found');
		expect(await errorCode(paperCode(f.deps, a.id, { personId: 7 }))).toBe('paper/invalid');
		const fresh = await account('13900139000');
		expect(await errorCode(paperCode(f.deps, fresh.id, {}))).toBe('person/not-found');
	});
});
