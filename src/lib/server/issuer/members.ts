/**
 * Family and proxy members: an elderly relative or a child whose code the account holder presents. Adding one
 * needs the member's name and ID number (cross-checked against the household register) and evidence of
 * consent; at most `maxMembers` per account. Removing one revokes its codes.
 */
import { validateIdNumber, ID_TYPES, type IdType } from '../../core/declaration/resident-id.js';
import { normaliseName } from '../../core/declaration/schema.js';
import { ApiError, type FieldProblem } from '../http/api-error.js';
import { expectObject } from '../http/read-json.js';
import { AddMemberRequestSchema, CONSENT_METHODS } from '../../core/contract/resident.js';
import { requestKeys } from '../../core/contract/shared.js';
import { issueCodes, recordDecision, type ColourDecision } from './codes.js';
import { decideForPerson } from '../recolour/recolour.js';
import { crossCheck } from './cross-check.js';
import type { IssuerDeps } from './deps.js';
import { bumpCodesVersion } from './codes-etag.js';
import { idHmac, selfPerson, upsertPerson } from './people.js';
import { revokeCodes } from './status.js';

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
	if (!id?.ok) errors.push(field('idNumber', id && !id.ok ? id.code : 'id/format', '证件号无效', 'invalid ID number'));
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
	if (errors.length || !id?.ok)
		throw new ApiError(422, 'member/invalid', 'Please correct the highlighted fields / 请更正标出的字段', { errors });

	const self = await selfPerson(deps.db, accountId);
	if (!self) throw new ApiError(409, 'member/declare-self-first', 'Declare for yourself first / 请先为本人申报');
	const count = await deps.db
		.selectFrom('people')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('account_id', '=', accountId)
		.where('relation', '=', 'proxy')
		.where('removed_at', 'is', null)
		.executeTakeFirstOrThrow();
	if (Number(count.n) >= deps.config.maxMembers)
		throw new ApiError(409, 'member/limit', `At most ${deps.config.maxMembers} members / 最多 ${deps.config.maxMembers} 位家庭成员`);
	const check = await crossCheck(deps.sources, deps.hmacKey, { idHmac: idHmac(deps.hmacKey, idType, id.value), name, phoneHmac: null });
	if (check.status === 'rejected')
		throw new ApiError(422, check.code, 'Name and ID number do not match the household register / 姓名与证件号不符');
	if (check.status === 'pending')
		throw new ApiError(503, 'source/unavailable', 'Identity check unavailable, try again later / 核验服务暂不可用', {
			retryAfterSeconds: 60
		});
	const region = (await deps.sources.householdRegister(idHmac(deps.hmacKey, idType, id.value)))?.region ?? self.region;
	const account = await deps.db.selectFrom('accounts').select('device_key').where('id', '=', accountId).executeTakeFirstOrThrow();
	return deps.db.transaction().execute(async (tx) => {
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
		const decision: ColourDecision = await decideForPerson(deps, tx, person.id_hmac, `resident/${accountId}`);
		if (account.device_key) await issueCodes(deps, tx, person, decision, { deviceKey: account.device_key, proxyName: self.name_masked });
		else await recordDecision(tx, person.id, decision, now);
		return { personId: person.id, status: 'verified' as const };
	});
}

export async function removeMember(deps: IssuerDeps, accountId: string, personId: string): Promise<void> {
	const now = deps.clock();
	await deps.db.transaction().execute(async (tx) => {
		const person = await tx
			.selectFrom('people')
			.selectAll()
			.where('id', '=', personId)
			.where('account_id', '=', accountId)
			.where('relation', '=', 'proxy')
			.where('removed_at', 'is', null)
			.executeTakeFirst();
		if (!person) throw new ApiError(404, 'member/not-found', 'No such member / 无此成员');
		await tx.updateTable('people').set({ removed_at: now }).where('id', '=', personId).execute();
		await bumpCodesVersion(tx, accountId);
		const live = await tx.selectFrom('codes').select('code_id').where('person_id', '=', personId).where('status', '=', 'live').execute();
		const ids = live.map((c) => c.code_id);
		if (ids.length) {
			await tx.updateTable('codes').set({ status: 'revoked', revoked_at: now }).where('code_id', 'in', ids).execute();
			await revokeCodes(tx, deps.config.region, ids, now);
		}
	});
}
