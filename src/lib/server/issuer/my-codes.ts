/**
 * "My codes": for the account holder and each family/proxy member, the live codes (current and next).
 * Tops them up on the way: when a person has a colour decision but no code valid beyond the overlap window
 * (first device registration, or the current code nearing its end), new codes are issued from the latest
 * decision.
 *
 * The ETag (codes-etag.ts) is the account's codes_version plus the moment the answer would change by time
 * alone (a code expiring, a top-up falling due), so a conditional refresh is answered without this function.
 * Reads: people with their latest declaration, then their live codes — two statements after the session
 * lookup (plus the top-up's own when one falls due).
 */
import type { IssuerDeps } from './deps.js';
import { sql } from 'kysely';
import type { CodesTable, PeopleTable } from '../store/schema.js';
import { codesEtag } from './codes-etag.js';
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

/** The account as requireResident reads it (one statement with the session). */
export interface MyAccount {
	id: string;
	device_key: string | null;
	codes_version: number;
}

type LiveCode = Pick<CodesTable, 'code_id' | 'person_id' | 'credential' | 'colour' | 'reasons_json' | 'kind' | 'iat' | 'exp'>;

/** `account`: as requireResident read it, or an account id (then read here). */
export async function myCodes(deps: IssuerDeps, accountOrId: MyAccount | string): Promise<{ people: MyPerson[]; etag: string }> {
	const account =
		typeof accountOrId === 'string'
			? await deps.db
					.selectFrom('accounts')
					.select(['id', 'device_key', 'codes_version'])
					.where('id', '=', accountOrId)
					.executeTakeFirstOrThrow()
			: accountOrId;
	const now = deps.clock();
	const overlap = deps.config.codeOverlapMs;
	// People with their latest declaration (scalar subqueries on the declarations (person_id, submitted_at) index).
	// Written as one SQL text (portable: both engines) rather than built with Kysely's query builder, whose
	// building and compiling of this nested query cost more CPU than the three queries it replaced.
	const { rows: people } = await sql<PeopleTable & { decl_status: string | null; decl_at: number | null }>`
		select p.*,
			(select d.status from declarations d where d.person_id = p.id order by d.submitted_at desc limit 1) as decl_status,
			(select d.submitted_at from declarations d where d.person_id = p.id order by d.submitted_at desc limit 1) as decl_at
		from people p
		where p.account_id = ${account.id} and p.removed_at is null
		order by p.relation desc, p.created_at`.execute(deps.db);
	let version = Number(account.codes_version);
	let codes = await liveCodes(deps, people, now);
	// The same test as topUp's: no live code valid beyond the overlap window.
	const due = people.filter((p) => !(codes.get(p.id) ?? []).some((c) => c.exp > now + overlap));
	if (due.length && account.device_key) {
		const self = people.find((p) => p.relation === 'self');
		let issued = false;
		for (const person of due) {
			issued =
				(await topUp(deps, person, {
					deviceKey: account.device_key,
					...(self && person.relation === 'proxy' ? { proxyName: self.name_masked } : {})
				})) || issued;
		}
		if (issued) {
			// The version first, then the codes: a write committed in between leaves an older version with newer
			// codes (the next conditional request just takes this path again), never the reverse.
			version = Number(
				(await deps.db.selectFrom('accounts').select('codes_version').where('id', '=', account.id).executeTakeFirstOrThrow()).codes_version
			);
			codes = await liveCodes(deps, people, now);
		}
	}
	let stableUntil = now + deps.config.codeValidityMs;
	const out: MyPerson[] = people.map((person) => {
		const mine = codes.get(person.id) ?? [];
		for (const c of mine) stableUntil = Math.min(stableUntil, c.exp);
		if (mine.length && account.device_key) stableUntil = Math.min(stableUntil, Math.max(...mine.map((c) => c.exp)) - overlap);
		return {
			personId: person.id,
			relation: person.relation,
			maskedName: person.name_masked,
			idMasked: person.id_masked,
			codes: mine.map((r) => ({
				codeId: r.code_id,
				credential: r.credential,
				colour: r.colour,
				reasons: JSON.parse(r.reasons_json) as string[],
				kind: r.kind,
				iat: r.iat,
				exp: r.exp
			})),
			declaration:
				person.decl_status != null && person.decl_at != null ? { status: person.decl_status, submittedAt: Number(person.decl_at) } : null
		};
	});
	// A due top-up that could not issue (no decision yet) must not make the answer uncacheable.
	return { people: out, etag: codesEtag(deps.hmacKey, account.id, version, Math.max(stableUntil, now + 1)) };
}

/** Live codes not yet expired, per person, in iat order: one statement for the whole account. */
async function liveCodes(deps: IssuerDeps, people: PeopleTable[], now: number): Promise<Map<string, LiveCode[]>> {
	const byPerson = new Map<string, LiveCode[]>();
	if (!people.length) return byPerson;
	const rows = await deps.db
		.selectFrom('codes')
		.select(['code_id', 'person_id', 'credential', 'colour', 'reasons_json', 'kind', 'iat', 'exp'])
		.where(
			'person_id',
			'in',
			people.map((p) => p.id)
		)
		.where('status', '=', 'live')
		// paper codes are fetched on their own (POST /me/paper-code), never refreshed with the phone's codes
		.where('kind', '!=', 'paper')
		.where('exp', '>', now)
		.orderBy('iat')
		.orderBy('code_id')
		.execute();
	for (const r of rows) {
		const list = byPerson.get(r.person_id);
		if (list) list.push(r);
		else byPerson.set(r.person_id, [r]);
	}
	return byPerson;
}
