/**
 * "My codes": for the account holder and each family/proxy member, the live codes (current and next).
 * Tops them up on the way: when a person has a colour decision but no code valid beyond the overlap window
 * (first device registration, or the current code nearing its end), new codes are issued from the latest
 * decision. The ETag changes exactly when the set of codes does.
 */
import { createHash } from 'node:crypto';
import type { IssuerDeps } from './deps.js';
import { topUp } from './top-up.js';

export interface MyCode {
	codeId: string;
	credential: string;
	colour: string;
	reasons: string[];
	kind: string;
	iat: number;
	exp: number;
}

export interface MyPerson {
	personId: string;
	relation: 'self' | 'proxy';
	maskedName: string;
	idMasked: string;
	codes: MyCode[];
	declaration: { status: string; submittedAt: number } | null;
}

export async function myCodes(deps: IssuerDeps, accountId: string): Promise<{ people: MyPerson[]; etag: string }> {
	const now = deps.clock();
	const account = await deps.db.selectFrom('accounts').select('device_key').where('id', '=', accountId).executeTakeFirstOrThrow();
	const people = await deps.db.selectFrom('people').selectAll().where('account_id', '=', accountId).where('removed_at', 'is', null).orderBy('relation', 'desc').orderBy('created_at').execute();
	const self = people.find((p) => p.relation === 'self');
	const out: MyPerson[] = [];
	for (const person of people) {
		await topUp(deps, person, { deviceKey: account.device_key, ...(self && person.relation === 'proxy' ? { proxyName: self.name_masked } : {}) });
		const codes = await liveCodes(deps, person.id, now);
		const decl = await deps.db.selectFrom('declarations').select(['status', 'submitted_at']).where('person_id', '=', person.id).orderBy('submitted_at', 'desc').executeTakeFirst();
		out.push({
			personId: person.id,
			relation: person.relation,
			maskedName: person.name_masked,
			idMasked: person.id_masked,
			codes,
			declaration: decl ? { status: decl.status, submittedAt: decl.submitted_at } : null
		});
	}
	const etag = '"' + createHash('sha256').update(out.map((p) => p.personId + ':' + p.codes.map((c) => c.codeId).join(',') + ':' + (p.declaration?.status ?? '')).join('|')).digest('base64url').slice(0, 27) + '"';
	return { people: out, etag };
}

async function liveCodes(deps: IssuerDeps, personId: string, now: number): Promise<MyCode[]> {
	const rows = await deps.db.selectFrom('codes').selectAll().where('person_id', '=', personId).where('status', '=', 'live').where('kind', '!=', 'paper').where('exp', '>', now).orderBy('iat').execute();
	return rows.map((r) => ({ codeId: r.code_id, credential: r.credential, colour: r.colour, reasons: JSON.parse(r.reasons_json) as string[], kind: r.kind, iat: r.iat, exp: r.exp }));
}
