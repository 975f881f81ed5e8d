/**
 * A paper code (kind 1, no holder key, no live proof) for the holder or one of their members, from the
 * person's latest colour decision. Printed for someone without a phone; the guard checks it against the ID
 * card (docs/code-format.md). Asking again supersedes the previous paper code; it is a copy of an existing
 * decision, so it adds nothing to the colour history.
 */
import type { Colour } from '../../core/claims.js';
import { fromBase64Url } from '../../core/bytes.js';
import { codeText } from '../../core/code-text.js';
import type { ColourReason } from '../../core/colour-reasons.js';
import { ApiError } from '../http/api-error.js';
import { expectObject } from '../http/read-json.js';
import { PaperCodeRequestSchema } from '../../core/contract/resident.js';
import { requestKeys } from '../../core/contract/shared.js';
import { REFRESH_ACTOR, issueCodes } from './codes.js';
import type { IssuerDeps } from './deps.js';

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
		throw new ApiError(422, 'paper/invalid', 'personId must be text / personId 须为文字', {
			errors: [{ field: 'personId', code: 'paper/person', message: { 'zh-CN': '请选择人员', en: 'choose the person' } }]
		});
	}
	let q = deps.db.selectFrom('people').selectAll().where('account_id', '=', accountId).where('removed_at', 'is', null);
	q = b.personId ? q.where('id', '=', b.personId) : q.where('relation', '=', 'self');
	const person = await q.executeTakeFirst();
	if (!person) throw new ApiError(404, 'person/not-found', 'No such person on this account / 本账户无此人');
	const decision = await deps.db
		.selectFrom('colour_events')
		.selectAll()
		.where('person_id', '=', person.id)
		.orderBy('at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	if (!decision) throw new ApiError(409, 'paper/no-decision', 'Declare first / 请先完成健康申报');
	const colour = decision.colour as Colour;
	const reasons = colour === 'green' ? [] : (JSON.parse(decision.reasons_json) as ColourReason[]);
	const [row] = await deps.db
		.transaction()
		.execute((tx) =>
			issueCodes(
				deps,
				tx,
				person,
				{ colour, reasons, auditReasons: reasons, ruleVersion: decision.rule_version, facts: null, actor: REFRESH_ACTOR },
				{ deviceKey: null },
				{ kind: 'paper' }
			)
		);
	if (!row) throw new ApiError(503, 'issuer/no-key', 'No active signing key / 暂无可用签发密钥', { retryAfterSeconds: 60 });
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
