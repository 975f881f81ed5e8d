/**
 * A resident's own declaration: validate (the schema the app uses too), cross-check identity, store, decide
 * the colour and issue codes. Only what the rules need is stored with it — never the full ID number,
 * name or phone (those exist as keyed hashes and masked forms on the person).
 */
import { validateDeclaration, type Declaration } from '../../core/declaration/schema.js';
import type { DeclarationOutcome } from '../../core/contract/resident.js';
import { ApiError } from '../http/api-error.js';
import { keyedHash } from '../secrets.js';
import { newId } from './accounts.js';
import { issueCodes, recordDecision } from './codes.js';
import { bumpCodesVersion } from './codes-etag.js';
import { crossCheck } from './cross-check.js';
import { decideForPerson } from '../recolour/recolour.js';
import type { IssuerDeps } from './deps.js';
import { idHmac, upsertPerson } from './people.js';

/** The answer of POST /api/v1/declarations: core/contract/resident.ts. */
export type { DeclarationOutcome };

const MISMATCH: Record<string, string> = {
	'identity/not-registered': 'ID number not found in the household register / 户籍信息中查无此证件号',
	'identity/name-mismatch': 'Name does not match the ID number / 姓名与证件号不符',
	'identity/phone-mismatch': 'This phone is not registered to this ID number / 手机号未登记在该证件名下'
};

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

export async function submitDeclaration(
	deps: IssuerDeps,
	account: { id: string; phone: string },
	input: unknown
): Promise<DeclarationOutcome> {
	const now = deps.clock();
	const v = validateDeclaration(input, now);
	if (!v.ok)
		throw new ApiError(422, 'declaration/invalid', 'Please correct the highlighted fields / 请更正标出的字段', { errors: v.errors });
	const d = v.value;
	if (d.phone !== account.phone) {
		throw new ApiError(422, 'declaration/invalid', 'Please correct the highlighted fields / 请更正标出的字段', {
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
	if (check.status === 'rejected') throw new ApiError(422, check.code, MISMATCH[check.code]!);
	const account_ = await deps.db.selectFrom('accounts').select('device_key').where('id', '=', account.id).executeTakeFirstOrThrow();
	return deps.db.transaction().execute(async (tx) => {
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
		await tx
			.insertInto('declarations')
			.values({
				id: declarationId,
				person_id: person.id,
				submitted_at: now,
				data_json: JSON.stringify(storedDeclarationData(d)),
				status: check.status,
				status_reason: check.status === 'pending' ? check.reason : null,
				checked_at: check.status === 'verified' ? now : null
			})
			.execute();
		await bumpCodesVersion(tx, account.id); // the declaration status is part of GET /me/codes
		// A source that is down never decides a colour: the declaration waits, existing codes stay as they are.
		if (check.status === 'pending') return { status: 'pending' as const, declarationId };
		const decision = await decideForPerson(deps, tx, person.id_hmac, `resident/${account.id}`);
		const codesIssued = account_.device_key !== null;
		if (codesIssued) await issueCodes(deps, tx, person, decision, { deviceKey: account_.device_key });
		else await recordDecision(tx, person.id, decision, now);
		return { status: 'verified' as const, declarationId, colour: decision.colour, codesIssued };
	});
}
