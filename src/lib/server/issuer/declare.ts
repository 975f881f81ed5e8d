/**
 * A resident's own declaration: validate (the schema the app uses too), cross-check identity, store, decide
 * the colour and issue codes. Only what the rules need is stored with it — never the full ID number,
 * name or phone (those exist as keyed hashes and masked forms on the person).
 */
import { validateDeclaration, type Declaration } from '../../core/declaration/schema.js';
import { DomainError } from '../domain-error.js';
import type { DeclarationOutcome } from '../../core/contract/resident.js';
import { keyedHash } from '../secrets.js';
import { transaction } from '../store/db.js';
import { insertDeclaration } from '../store/declarations.js';
import { bumpCodesVersion } from '../store/codes-version.js';
import { isPhoneOfAccount, newId } from './accounts.js';
import { crossCheck } from './cross-check.js';
import { decideAndIssue } from '../recolour/recolour.js';
import type { IssuerDeps } from '../deps.js';
import { idHmac, upsertPerson } from './people.js';

/** The answer of POST /api/v1/declarations: core/contract/resident.ts. */
export type { DeclarationOutcome };

export function storedDeclarationData(d: Declaration): Record<string, unknown> {
	return {
		region: d.region,
		addressDetail: d.addressDetail,
		temperature: d.temperature,
		symptoms: d.symptoms,
		travel: d.travel,
		feverDeclared: d.feverDeclared,
		symptomsDeclared: d.symptomsDeclared
	};
}

export async function submitDeclaration(deps: IssuerDeps, account: { id: string }, input: unknown): Promise<DeclarationOutcome> {
	const now = deps.clock();
	const v = validateDeclaration(input, now);
	if (!v.ok) throw new DomainError('declaration/invalid', { errors: v.errors });
	const d = v.value;
	if (!(await isPhoneOfAccount(deps, account.id, d.phone))) {
		throw new DomainError('declaration/invalid', {
			errors: [
				{
					field: 'phone',
					code: 'phone/not-signed-in',
					message: { 'zh-CN': '须为登录所用手机号', en: 'must be the phone you signed in with' }
				}
			]
		});
	}
	const check = await crossCheck(deps.sources, deps.hmacKey, {
		idHmac: idHmac(deps.hmacKey, d.idType, d.idNumber),
		name: d.name,
		phoneHmac: keyedHash(deps.hmacKey, 'phone', d.phone)
	});
	if (check.status === 'rejected') throw new DomainError(check.code);
	return transaction(deps.db, async (tx) => {
		const person = await upsertPerson(tx, deps.hmacKey, {
			accountId: account.id,
			idType: d.idType,
			idNumber: d.idNumber,
			name: d.name,
			region: d.region,
			relation: 'self',
			nowMs: now
		});
		const declarationId = newId();
		await insertDeclaration(tx, {
			id: declarationId,
			person_id: person.id,
			submitted_at: now,
			data_json: JSON.stringify(storedDeclarationData(d)),
			status: check.status,
			status_reason: check.status === 'pending' ? check.reason : null,
			checked_at: check.status === 'verified' ? now : null
		});
		// A source that is down never decides a colour: the declaration waits, existing codes stay as they are.
		// Its status is part of GET /me/codes: the one bump of this change.
		if (check.status === 'pending') {
			await bumpCodesVersion(tx, account.id);
			return { status: 'pending' as const, declarationId };
		}
		// Decide and issue (codes when a device is registered, else the decision alone); bumps the version once.
		const { decision, codes } = await decideAndIssue(deps, tx, person, `resident/${account.id}`);
		return { status: 'verified' as const, declarationId, colour: decision.colour, codesIssued: codes.length > 0 };
	});
}
