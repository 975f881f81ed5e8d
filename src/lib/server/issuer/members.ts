/**
 * Family and proxy members: an elderly relative or a child whose code the account holder presents. Adding one
 * needs the member's name and ID number (cross-checked against the household register) and evidence of
 * consent; at most `maxMembers` per account. Removing one revokes its codes.
 */
import { validateIdNumber, ID_TYPES, type IdType } from '../../core/declaration/resident-id.js';
import { idErrorText, normaliseName } from '../../core/declaration/schema.js';
import { DomainError, type FieldProblem } from '../domain-error.js';
import { expectObject } from '../expect-object.js';
import { AddMemberRequestSchema, CONSENT_METHODS } from '../../core/contract/resident.js';
import { requestKeys } from '../../core/contract/shared.js';
import { transaction } from '../store/db.js';
import { countMembers, markPersonRemoved, memberOfAccount, selfPerson } from '../store/people.js';
import { unexpiredCodesOfPerson } from '../store/codes.js';
import { bumpCodesVersion } from '../store/codes-version.js';
import { decideAndIssue } from '../recolour/recolour.js';
import { revokeCodes } from '../issuance/revoke.js';
import { crossCheck } from './cross-check.js';
import type { IssuerDeps } from '../deps.js';
import { idHmac, upsertPerson } from './people.js';

/** How consent was given: the list in core/contract/resident.ts, shared with the app's form. */
export { CONSENT_METHODS };

const field = (f: string, code: string, zh: string, en: string): FieldProblem => ({ field: f, code, message: { 'zh-CN': zh, en } });

export async function addMember(deps: IssuerDeps, accountId: string, body: unknown): Promise<{ personId: string; status: 'verified' }> {
	const now = deps.clock();
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
	const consent = b.consent as { method?: unknown; note?: unknown } | undefined;
	const method = consent?.method;
	if (typeof consent !== 'object' || consent === null || !CONSENT_METHODS.includes(method as (typeof CONSENT_METHODS)[number])) {
		errors.push(
			field(
				'consent.method',
				'consent/method',
				'请说明如何取得本人或监护人同意',
				`how consent was given: one of ${CONSENT_METHODS.join(', ')}`
			)
		);
	}
	const note = consent?.note;
	if (note !== undefined && (typeof note !== 'string' || note.length > 500))
		errors.push(field('consent.note', 'consent/note', '说明不超过 500 字', 'at most 500 characters'));
	if (errors.length || !id?.ok) throw new DomainError('member/invalid', { errors });

	const self = await selfPerson(deps.db, accountId);
	if (!self) throw new DomainError('member/declare-self-first');
	if ((await countMembers(deps.db, accountId)) >= deps.config.maxMembers)
		throw new DomainError('member/limit', { params: { max: deps.config.maxMembers } });
	const check = await crossCheck(deps.sources, deps.hmacKey, { idHmac: idHmac(deps.hmacKey, idType, id.value), name, phoneHmac: null });
	if (check.status === 'rejected') throw new DomainError(check.code);
	if (check.status === 'pending')
		throw new DomainError('source/unavailable', {
			retryAfterSeconds: 60
		});
	const region = (await deps.sources.householdRegister(idHmac(deps.hmacKey, idType, id.value)))?.region ?? self.region;
	return transaction(deps.db, async (tx) => {
		const person = await upsertPerson(tx, deps.hmacKey, {
			accountId,
			idType,
			idNumber: id.value,
			name,
			region,
			relation: 'proxy',
			consent: { method, note: note ?? null, recordedAt: now },
			nowMs: now
		});
		// Decide and issue (codes when a device is registered, else the decision alone); bumps the version once.
		await decideAndIssue(deps, tx, person, `resident/${accountId}`);
		return { personId: person.id, status: 'verified' as const };
	});
}

export async function removeMember(deps: IssuerDeps, accountId: string, personId: string): Promise<void> {
	const now = deps.clock();
	await transaction(deps.db, async (tx) => {
		const person = await memberOfAccount(tx, accountId, personId);
		if (!person) throw new DomainError('member/not-found');
		await markPersonRemoved(tx, personId, now);
		await bumpCodesVersion(tx, accountId);
		// every code a scanner could still accept: live, superseded and paper alike
		const ids = (await unexpiredCodesOfPerson(tx, personId, now)).map((c) => c.code_id);
		await revokeCodes(tx, deps.config.region, ids, now, { bump: false });
	});
}
