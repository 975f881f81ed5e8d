/**
 * Person lookup (issue 15): by ID number (with its type) or phone, exact match only, with a purpose — every lookup
 * is audited (`person.lookup`, with the purpose and the refs found, also when nothing was found). The database
 * holds keyed hashes of ID numbers and phones, so the typed value is hashed and matched; it is never stored or
 * logged. A phone names the account holder who signed in with it and the carrier's registration (possibly two
 * people). Answers the masked dossier of each (person-dossier.ts).
 */
import type { IssuerDeps } from '../deps.js';
import { DomainError, type FieldProblem } from '../domain-error.js';
import { recordStaffAction } from '../audit/record-staff-action.js';
import { refKnown, refsOfPhone } from '../store/dossier.js';
import { idHmac, maskIdNumber } from '../issuer/people.js';
import { keyedHash } from '../secrets.js';
import { idErrorText } from '../../core/declaration/declaration-errors.js';
import { ID_TYPES, validateIdNumber, type IdType } from '../../core/declaration/resident-id.js';
import type { PersonLookupResponse } from '../../core/contract/console-appeals.js';
import { personDossier } from './person-dossier.js';
import { staffName } from './resolve-appeal.js';

const problem = (field: string, code: string, en: string, zh: string): FieldProblem => ({ field, code, message: { 'zh-CN': zh, en } });

export const PHONE_PATTERN = /^1\d{10}$/;

export async function lookUpPerson(
	deps: IssuerDeps,
	staffId: string,
	body: { by?: unknown; idType?: unknown; value?: unknown; purpose?: unknown }
): Promise<PersonLookupResponse> {
	const now = deps.clock();
	const errors: FieldProblem[] = [];
	const purpose = typeof body.purpose === 'string' ? body.purpose.trim() : '';
	if (purpose.length < 5 || purpose.length > 200)
		errors.push(problem('purpose', 'purpose/required', 'say why you look this person up (5–200 characters)', '请说明查询目的（5–200 字）'));
	const value = typeof body.value === 'string' ? body.value.trim() : '';
	let refs: string[];
	let display: { idMasked: string } | undefined;
	if (body.by === 'id') {
		const idType = (ID_TYPES as readonly string[]).includes(body.idType as string) ? (body.idType as IdType) : null;
		if (!idType) errors.push(problem('idType', 'id/type', `one of ${ID_TYPES.join(', ')}`, '证件类型无效'));
		const id = idType ? validateIdNumber(idType, value, now) : null;
		if (id && !id.ok) errors.push(problem('value', id.code, idErrorText(id.code).en, idErrorText(id.code)['zh-CN']));
		if (errors.length || !idType || !id?.ok) throw new DomainError('lookup/invalid', { errors });
		const ref = idHmac(deps.hmacKey, idType, id.value);
		refs = (await refKnown(deps.db, ref)) ? [ref] : [];
		display = { idMasked: maskIdNumber(id.value) };
	} else if (body.by === 'phone') {
		if (!PHONE_PATTERN.test(value))
			errors.push(problem('value', 'phone/format', 'an 11-digit mainland mobile number', '请输入 11 位手机号'));
		if (errors.length) throw new DomainError('lookup/invalid', { errors });
		refs = await refsOfPhone(deps.db, keyedHash(deps.hmacKey, 'phone', value));
	} else {
		errors.push(problem('by', 'field/invalid', 'id or phone', '须按证件号码或手机号查询'));
		throw new DomainError('lookup/invalid', { errors });
	}
	const actor = await staffName(deps, staffId);
	// one audit row per person found (so the audit's person filter finds every read of them), or one saying nobody was
	for (const ref of refs.length ? refs : [null])
		await recordStaffAction(deps.db, {
			actor,
			action: 'person.lookup',
			personHash: ref,
			purpose,
			detail: { by: body.by, found: refs.length },
			at: now
		});
	if (!refs.length) throw new DomainError('lookup/not-found');
	return { people: await Promise.all(refs.map((r) => personDossier(deps, r, display))) };
}
