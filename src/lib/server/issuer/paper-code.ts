/**
 * A paper code (kind 1, no holder key, no live proof) for the holder or one of their members, from the
 * person's latest colour decision. Printed for someone without a phone; the guard checks it against the ID
 * card (docs/code-format.md). Asking again supersedes the previous paper code; it is a copy of an existing
 * decision, so it adds nothing to the colour history.
 */
import type { Colour } from '../../core/claims.js';
import { fromBase64Url } from '../../core/bytes.js';
import { codeText } from '../../core/code-text.js';
import { DomainError } from '../domain-error.js';
import { expectObject } from '../expect-object.js';
import { PaperCodeRequestSchema } from '../../core/contract/resident.js';
import { requestKeys } from '../../core/contract/shared.js';
import { transaction } from '../store/db.js';
import { personOfAccount } from '../store/people.js';
import { latestDecision } from '../issuance/decision.js';
import { issue } from '../issuance/issue.js';
import type { IssuerDeps } from '../deps.js';

export interface PaperCode {
	personId: string;
	/** the QR text: TX1: + base45 of the credential */
	text: string;
	colour: Colour;
	reasons: string[];
	maskedName: string;
	idSuffix: string;
	iat: number;
	exp: number;
}

export async function paperCode(deps: IssuerDeps, accountId: string, body: unknown): Promise<PaperCode> {
	const b = expectObject(body, requestKeys(PaperCodeRequestSchema));
	if (b.personId !== undefined && typeof b.personId !== 'string') {
		throw new DomainError('paper/invalid', {
			errors: [{ field: 'personId', code: 'paper/person', message: { 'zh-CN': '请选择人员', en: 'choose the person' } }]
		});
	}
	const person = await personOfAccount(deps.db, accountId, b.personId);
	if (!person) throw new DomainError('person/not-found');
	const decision = await latestDecision(deps.db, person.id);
	if (!decision) throw new DomainError('paper/no-decision');
	const { colour, reasons } = decision;
	const {
		codes: [row]
	} = await transaction(deps.db, (tx) => issue(deps, tx, person, decision, { kind: 'paper', holder: { deviceKey: null } }));
	if (!row) throw new DomainError('issuer/no-key', { retryAfterSeconds: 60 });
	return {
		personId: person.id,
		text: codeText(fromBase64Url(row.credential)!),
		colour,
		reasons,
		maskedName: person.name_masked,
		idSuffix: person.id_suffix,
		iat: row.iat,
		exp: row.exp
	};
}
