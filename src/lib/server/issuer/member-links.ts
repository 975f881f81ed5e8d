/**
 * Member links: an account (the adder) asks to hold a relative's codes; the link is `pending`, and nothing of the
 * member's colour, reasons or codes reaches the adder, until evidence the system can check confirms it:
 * - `phone`: a one-time code sent to the member's own phone, which must be the phone the carrier registry
 *   (phone_registry) has for that ID; the adder, sitting with the relative, types it in;
 * - `household`: the household register has the adder and the member in the same household, or the adder as the
 *   member's guardian (guardians kind): confirmed at once;
 * - `staff`: a staff member approves with a note of the evidence they checked (or rejects); audited.
 * The add answers the same whether or not the ID is registered, matches the phone or is held by other accounts
 * (same status, same body, the same lookups and writes): "if the details match, a code was sent". Adds are rate
 * limited per account and per ID. Several accounts may hold confirmed links to the same person, each with its own
 * codes; the person sees every link to them in their own app and can remove it (its codes are revoked), and their
 * own declaration is never blocked by someone else's link (issuer/people.ts).
 */
import { randomBytes } from 'node:crypto';
import { validateIdNumber, ID_TYPES, type IdType } from '../../core/declaration/resident-id.js';
import { idErrorText } from '../../core/declaration/declaration-errors.js';
import { normaliseName } from '../../core/declaration/name-phone-address.js';
import { toBase64Url } from '../../core/bytes.js';
import { MEMBER_EVIDENCE, AddMemberRequestSchema, type MemberEvidence, type MemberLinkOutcome } from '../../core/contract/resident.js';
import { requestKeys } from '../../core/contract/shared.js';
import { DomainError, type FieldProblem } from '../domain-error.js';
import { expectObject } from '../expect-object.js';
import { transaction, type StoreTx } from '../store/db.js';
import { hit } from '../store/rate-limit.js';
import { countMembers, markPersonRemoved, peopleByIdHmac, selfPerson } from '../store/people.js';
import { householdOf, isGuardianOf } from '../store/register.js';
import {
	confirmLinkRow,
	countPendingLinks,
	insertLinkEvent,
	insertMemberLink,
	linkOfPerson,
	linksAwaitingStaff,
	linksToPerson,
	memberLink,
	pendingLinksOfAccount,
	rejectLinkRow,
	removeLinkRow,
	type MemberLink
} from '../store/member-links.js';
import { unexpiredCodesOfPerson } from '../store/codes.js';
import { bumpCodesVersion } from '../store/codes-version.js';
import { revokeCodes } from '../issuance/revoke.js';
import { decideAndIssue } from '../recolour/recolour.js';
import { OTP_TTL_MS, checkChallenge, createChallenge } from '../auth/otp.js';
import { normalisePhone } from '../auth/phone.js';
import { keyedHash } from '../secrets.js';
import type { IssuerDeps } from '../deps.js';
import { crossCheck } from './cross-check.js';
import { storedIdentity, upsertPersonRow } from './people.js';

const DAY = 86_400_000;
/** Wrong link codes are counted apart from sign-in's (auth/otp.ts `otp-fail`). */
const MEMBER_FAIL_BUCKET = 'member-otp-fail';
/** Member adds one account may ask for per day (each one may text a relative's phone). */
export const MEMBER_ADDS_PER_ACCOUNT_PER_DAY = 10;
/** Requests naming one ID per day, across all accounts: no one can probe or pester a person through many accounts. */
export const MEMBER_ADDS_PER_ID_PER_DAY = 5;
/** Link codes texted to one phone per hour (on top of sign-in's own limits). */
export const MEMBER_CODES_PER_PHONE_PER_HOUR = 3;

const field = (f: string, code: string, zh: string, en: string): FieldProblem => ({ field: f, code, message: { 'zh-CN': zh, en } });

interface AddInput {
	name: string;
	idType: IdType;
	idNumber: string;
	method: MemberEvidence;
	phone: string | null;
	note: string | null;
}

function readAdd(body: unknown, now: number): AddInput {
	const b = expectObject(body, requestKeys(AddMemberRequestSchema));
	const errors: FieldProblem[] = [];
	const name = typeof b.name === 'string' ? normaliseName(b.name) : '';
	if (name.length < 1 || name.length > 30)
		errors.push(field('name', 'name/length', '请填写 1–30 字姓名', 'enter a name of 1–30 characters'));
	const idType = (b.idType ?? 'resident') as IdType;
	if (!ID_TYPES.includes(idType)) errors.push(field('idType', 'idType/unknown', '证件类型无效', 'unknown ID type'));
	const id = typeof b.idNumber === 'string' && ID_TYPES.includes(idType) ? validateIdNumber(idType, b.idNumber, now) : null;
	if (!id?.ok) {
		// say which part failed (length, region, birth date, check digit): the form shows this message
		const text = id && !id.ok ? idErrorText(id.code) : { 'zh-CN': '证件号无效', en: 'invalid ID number' };
		errors.push(field('idNumber', id && !id.ok ? id.code : 'id/format', text['zh-CN'], text.en));
	}
	const ev = b.evidence as { method?: unknown; phone?: unknown; note?: unknown } | undefined;
	const method = typeof ev === 'object' && ev !== null ? ev.method : undefined;
	if (!MEMBER_EVIDENCE.includes(method as MemberEvidence))
		errors.push(
			field('evidence.method', 'evidence/method', '请选择如何确认', `how the link is confirmed: one of ${MEMBER_EVIDENCE.join(', ')}`)
		);
	let phone: string | null = null;
	if (method === 'phone') {
		phone = normalisePhone(ev?.phone);
		if (!phone)
			errors.push(field('evidence.phone', 'phone/format', '请输入成员本人的 11 位手机号', "enter the member's own 11-digit mobile number"));
	}
	const note = ev?.note;
	if (note !== undefined && (typeof note !== 'string' || note.length > 500))
		errors.push(field('evidence.note', 'evidence/note', '说明不超过 500 字', 'at most 500 characters'));
	if (errors.length || !id?.ok) throw new DomainError('member/invalid', { errors });
	return {
		name,
		idType,
		idNumber: id.value,
		method: method as MemberEvidence,
		phone,
		note: typeof note === 'string' && note.trim() ? note.trim() : null
	};
}

async function limit(deps: IssuerDeps, bucket: string, windowMs: number, max: number, now: number): Promise<void> {
	const r = await hit(deps.db, bucket, windowMs, max, now);
	if (!r.allowed) throw new DomainError('member/rate-limited', { retryAfterSeconds: Math.ceil(r.retryAfterMs / 1000) });
}

/**
 * POST /api/v1/me/members: asks to link a member. Answers `pending` (what happens next depends on the evidence
 * asked for, never on what the register holds) or, for `household` when the register shows the adder's household
 * or guardianship, `confirmed`.
 */
export async function addMember(deps: IssuerDeps, accountId: string, body: unknown, clientIp: string): Promise<MemberLinkOutcome> {
	const now = deps.clock();
	const input = readAdd(body, now);
	const self = await selfPerson(deps.db, accountId);
	if (!self) throw new DomainError('member/declare-self-first');
	const identity = storedIdentity(deps.hmacKey, input.idType, input.idNumber, input.name);
	await limit(deps, `member-add:${accountId}`, DAY, MEMBER_ADDS_PER_ACCOUNT_PER_DAY, now);
	await limit(deps, `member-add-id:${identity.idHmac}`, DAY, MEMBER_ADDS_PER_ID_PER_DAY, now);
	// What the adder knows already (their own self and members) may be answered plainly; nothing else.
	if (identity.idHmac === self.id_hmac) throw new DomainError('identity/relation-conflict');
	const held = await peopleByIdHmac(deps.db, identity.idHmac);
	if (held.some((p) => p.account_id === accountId && p.removed_at === null)) throw new DomainError('member/already-linked');
	if ((await countMembers(deps.db, accountId)) + (await countPendingLinks(deps.db, accountId, now - OTP_TTL_MS)) >= deps.config.maxMembers)
		throw new DomainError('member/limit', { params: { max: deps.config.maxMembers } });

	// The same lookups for every request: register (name ↔ ID), the phone's owner, the households and guardianship.
	const phoneHmac = input.phone === null ? null : keyedHash(deps.hmacKey, 'phone', input.phone);
	const check = await crossCheck(deps.sources, deps.hmacKey, { idHmac: identity.idHmac, name: input.name, phoneHmac });
	if (check.status === 'pending') throw new DomainError('source/unavailable', { retryAfterSeconds: 60 });
	const registerMatch = check.status === 'verified' || (check.status === 'rejected' && check.code === 'identity/phone-mismatch');
	const phoneMatch = check.status === 'verified' && phoneHmac !== null;
	// looked up whatever the check said, so a match costs no extra round trip
	const registered = await deps.sources.householdRegister(identity.idHmac).catch(() => null);
	const region = (registerMatch ? registered?.region : undefined) ?? self.region;
	const [adderHousehold, memberHousehold, guardian] = await Promise.all([
		householdOf(deps.db, self.id_hmac),
		householdOf(deps.db, identity.idHmac),
		isGuardianOf(deps.db, self.id_hmac, identity.idHmac)
	]);
	const householdMatch = registerMatch && ((adderHousehold !== null && adderHousehold === memberHousehold) || guardian);
	if (phoneHmac !== null) await limit(deps, `member-code-phone:${phoneHmac}`, 3_600_000, MEMBER_CODES_PER_PHONE_PER_HOUR, now);

	const linkId = toBase64Url(randomBytes(12));
	const actor = `resident/${accountId}`;
	let code: string | null = null;
	const outcome = await transaction(deps.db, async (tx) => {
		// A challenge for every phone request: its code is sent only when the phone is the member's registered
		// one, so for any other phone no code the adder could type exists.
		const challenge = phoneHmac === null ? null : await createChallenge({ db: tx, hmacKey: deps.hmacKey }, phoneHmac, clientIp, now);
		code = challenge?.code ?? null;
		await insertMemberLink(tx, {
			id: linkId,
			account_id: accountId,
			id_hmac: identity.idHmac,
			id_masked: identity.idMasked,
			id_suffix: identity.idSuffix,
			name_masked: identity.nameMasked,
			region,
			register_match: registerMatch ? 1 : 0,
			requested: input.method,
			request_note: input.note,
			phone_hmac: phoneHmac,
			challenge_id: challenge?.challengeId ?? null,
			status: 'pending',
			method: null,
			evidence: null,
			decided_by: null,
			decided_at: null,
			person_id: null,
			created_at: now,
			removed_at: null,
			removed_by: null
		});
		await insertLinkEvent(tx, { linkId, at: now, actor, action: `requested:${input.method}`, note: input.note });
		if (input.method === 'household' && householdMatch) {
			const link = (await memberLink(tx, linkId))!;
			const personId = await confirmLink(deps, tx, link, {
				method: 'household',
				evidence: guardian ? 'register: guardian of the member' : 'register: same household',
				decidedBy: 'household-register',
				actor
			});
			return { linkId, status: 'confirmed' as const, requested: input.method, personId };
		}
		return { linkId, status: 'pending' as const, requested: input.method };
	});
	if (input.phone !== null && phoneMatch && code !== null) {
		// Not awaited: the answer must take as long whether or not a text goes out. A failed send is logged without
		// the code; the adder asks again.
		const text = linkText(self.name_masked, code);
		deps.sms.send(input.phone, text, now).catch((e: unknown) => console.error(`member link ${linkId}: SMS not sent: ${String(e)}`));
	}
	return outcome;
}

/** The text the member's phone gets: who asks, what confirming means, and how to refuse. */
export function linkText(adderMasked: string, code: string): string {
	return (
		`【通行】${adderMasked} 申请将您添加为家庭成员：对方将能查看您的健康码颜色和原因，并代您出示健康码。` +
		`同意请把验证码 ${code} 告诉对方（5 分钟内有效）；不同意请勿告诉任何人。` +
		`Tongxing: ${adderMasked} asks to add you as a family member: they would see your code colour and its reasons and show your code for you. ` +
		`To agree, tell them code ${code} (valid 5 minutes); otherwise tell no one.`
	);
}

/** The adder's people row for the member, the link confirmed and audited, the member's colour decided and issued. */
async function confirmLink(
	deps: IssuerDeps,
	tx: StoreTx,
	link: MemberLink,
	x: { method: MemberEvidence; evidence: string; decidedBy: string; actor: string }
): Promise<string> {
	const now = deps.clock();
	const person = await upsertPersonRow(tx, {
		accountId: link.account_id,
		identity: { idHmac: link.id_hmac, idMasked: link.id_masked, idSuffix: link.id_suffix, nameMasked: link.name_masked },
		region: link.region,
		relation: 'proxy',
		consent: { linkId: link.id, method: x.method, evidence: x.evidence, decidedBy: x.decidedBy, recordedAt: now },
		nowMs: now
	});
	if (
		!(await confirmLinkRow(tx, link.id, { method: x.method, evidence: x.evidence, decidedBy: x.decidedBy, at: now, personId: person.id }))
	)
		throw new DomainError('member/link-not-pending');
	await insertLinkEvent(tx, { linkId: link.id, at: now, actor: x.actor, action: `confirmed:${x.method}`, note: x.evidence });
	// Decide and issue (codes when a device is registered, else the decision alone); bumps the version once.
	await decideAndIssue(deps, tx, person, x.actor);
	return person.id;
}

/** POST /api/v1/me/member-links/[id]/confirm: the code the member's phone received, typed in by the adder. */
export async function confirmByCode(deps: IssuerDeps, accountId: string, linkId: string, code: unknown): Promise<MemberLinkOutcome> {
	const now = deps.clock();
	const link = await memberLink(deps.db, linkId);
	if (!link || link.account_id !== accountId) throw new DomainError('member/link-not-found');
	if (link.status !== 'pending' || link.requested !== 'phone' || !link.challenge_id || !link.phone_hmac)
		throw new DomainError('member/link-not-pending');
	if (typeof code !== 'string') throw new DomainError('otp/invalid');
	// Wrong guesses count against the link's own bucket: an adder cannot lock the member out of signing in.
	await checkChallenge(
		deps,
		{ challengeId: link.challenge_id, phoneHmac: link.phone_hmac, code: code.trim(), nowMs: now },
		MEMBER_FAIL_BUCKET
	);
	const personId = await transaction(deps.db, (tx) =>
		confirmLink(deps, tx, link, {
			method: 'phone',
			evidence: "one-time code sent to the member's registered phone",
			decidedBy: 'member-phone',
			actor: `resident/${accountId}`
		})
	);
	return { linkId, status: 'confirmed', requested: 'phone', personId };
}

/** The account's pending requests (what the members page lists: no colour, nothing from the register). */
export async function pendingOf(deps: IssuerDeps, accountId: string) {
	return (await pendingLinksOfAccount(deps.db, accountId)).flatMap((l) =>
		l.requested === 'declared'
			? []
			: [{ linkId: l.id, maskedName: l.name_masked, idMasked: l.id_masked, requested: l.requested, createdAt: l.created_at }]
	);
}

/** DELETE /api/v1/me/member-links/[id]: the adder withdraws a pending request. */
export async function withdrawLink(deps: IssuerDeps, accountId: string, linkId: string): Promise<void> {
	const now = deps.clock();
	const link = await memberLink(deps.db, linkId);
	if (!link || link.account_id !== accountId || link.status !== 'pending') throw new DomainError('member/link-not-found');
	await transaction(deps.db, async (tx) => {
		await removeLinkRow(tx, link.id, now, 'adder');
		await insertLinkEvent(tx, { linkId: link.id, at: now, actor: `resident/${accountId}`, action: 'withdrawn' });
	});
}

/**
 * Ends an account's hold on a member, in the caller's transaction: the people row removed, every code a scanner
 * could still accept for it revoked (live, superseded, paper alike), the account's list changed.
 */
export async function dropMember(deps: IssuerDeps, tx: StoreTx, accountId: string, personId: string): Promise<void> {
	const now = deps.clock();
	await markPersonRemoved(tx, personId, now);
	await bumpCodesVersion(tx, accountId);
	const ids = (await unexpiredCodesOfPerson(tx, personId, now)).map((c) => c.code_id);
	await revokeCodes(tx, deps.config.region, ids, now, { bump: false });
}

/** The adder removed a member: its link (if it came through one) is removed too. */
export async function endLinkOfPerson(tx: StoreTx, personId: string, accountId: string, now: number): Promise<void> {
	const link = await linkOfPerson(tx, personId);
	if (!link) return;
	await removeLinkRow(tx, link.id, now, 'adder');
	await insertLinkEvent(tx, { linkId: link.id, at: now, actor: `resident/${accountId}`, action: 'removed-by-adder' });
}

/** GET /api/v1/me/links: who holds (or asks for) a link to the signed-in person. */
export async function linksToMe(deps: IssuerDeps, accountId: string) {
	const self = await selfPerson(deps.db, accountId);
	if (!self) return [];
	return (await linksToPerson(deps.db, self.id_hmac, accountId)).map((l) => ({
		linkId: l.id,
		holderName: l.adder_name ?? '—',
		holderIdMasked: l.adder_id_masked ?? '—',
		status: l.status as 'pending' | 'confirmed',
		method: l.method ?? l.requested,
		since: l.decided_at ?? l.created_at
	}));
}

/** DELETE /api/v1/me/links/[id]: the person removes someone's link to them; that account's codes for them are revoked. */
export async function removeLinkToMe(deps: IssuerDeps, accountId: string, linkId: string): Promise<void> {
	const now = deps.clock();
	const self = await selfPerson(deps.db, accountId);
	const link = await memberLink(deps.db, linkId);
	if (
		!self ||
		!link ||
		link.id_hmac !== self.id_hmac ||
		link.account_id === accountId ||
		(link.status !== 'pending' && link.status !== 'confirmed')
	)
		throw new DomainError('member/link-not-found');
	await transaction(deps.db, async (tx) => {
		await removeLinkRow(tx, link.id, now, 'person');
		await insertLinkEvent(tx, { linkId: link.id, at: now, actor: `resident/${accountId}`, action: 'removed-by-person' });
		if (link.status === 'confirmed' && link.person_id) await dropMember(deps, tx, link.account_id, link.person_id);
	});
}

// ── staff review ──────────────────────────────────────────────────────────────────────────────────────────

/** GET /api/v1/console/member-links: the requests waiting for a staff decision. */
export async function linksForStaff(deps: IssuerDeps) {
	return (await linksAwaitingStaff(deps.db, 200)).map((l) => ({
		linkId: l.id,
		adderName: l.adder_name ?? '—',
		maskedName: l.name_masked,
		idMasked: l.id_masked,
		registerMatch: l.register_match === 1,
		note: l.request_note,
		createdAt: l.created_at
	}));
}

async function staffLink(deps: IssuerDeps, linkId: string): Promise<MemberLink> {
	const link = await memberLink(deps.db, linkId);
	if (!link || link.requested !== 'staff') throw new DomainError('member/link-not-found');
	if (link.status !== 'pending') throw new DomainError('member/link-not-pending');
	return link;
}

/** A staff member approves with the evidence they checked (required, recorded in the link and its audit). */
export async function approveLink(
	deps: IssuerDeps,
	staffId: string,
	linkId: string,
	evidence: unknown
): Promise<{ linkId: string; status: 'confirmed' }> {
	const note = typeof evidence === 'string' ? evidence.trim() : '';
	if (note.length < 4 || note.length > 500)
		throw new DomainError('member/invalid', {
			errors: [field('evidence', 'evidence/required', '请记录核实的证据（4–500 字）', 'record the evidence you checked (4–500 characters)')]
		});
	const link = await staffLink(deps, linkId);
	// A staff member vouches for consent, not for identity: the register must know this name with this ID.
	if (link.register_match !== 1) throw new DomainError('member/link-register-mismatch');
	await transaction(deps.db, (tx) =>
		confirmLink(deps, tx, link, { method: 'staff', evidence: note, decidedBy: `staff/${staffId}`, actor: `staff/${staffId}` })
	);
	return { linkId, status: 'confirmed' };
}

export async function rejectLink(
	deps: IssuerDeps,
	staffId: string,
	linkId: string,
	note: unknown
): Promise<{ linkId: string; status: 'rejected' }> {
	const text = typeof note === 'string' && note.trim() ? note.trim().slice(0, 500) : null;
	const link = await staffLink(deps, linkId);
	const now = deps.clock();
	await transaction(deps.db, async (tx) => {
		if (!(await rejectLinkRow(tx, link.id, { evidence: text, decidedBy: `staff/${staffId}`, at: now })))
			throw new DomainError('member/link-not-pending');
		await insertLinkEvent(tx, { linkId: link.id, at: now, actor: `staff/${staffId}`, action: 'rejected', note: text });
	});
	return { linkId, status: 'rejected' };
}
