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
import type { IssuerDeps } from '../deps.js';
import type { PeopleTable } from '../store/schema.js';
import { accountForCodes } from '../store/accounts.js';
import { liveCodesOfPeople, type LiveCode } from '../store/codes.js';
import { codesVersion } from '../store/codes-version.js';
import { peopleWithLatestDeclaration } from '../store/people.js';
import { codesEtag } from './codes-etag.js';
import { topUp } from './top-up.js';
import { explanationsFor } from '../recolour/explanation.js';
import type { Explanation } from '../../core/contract/resident.js';

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
	/** why the colour, and the way back to green (recolour/explanation.ts); null: nothing stored (green) */
	explanation: Explanation | null;
}

/** The account as requireResident reads it (one statement with the session). */
export interface MyAccount {
	id: string;
	device_key: string | null;
	codes_version: number;
}

/** `account`: as requireResident read it, or an account id (then read here). */
export async function myCodes(deps: IssuerDeps, accountOrId: MyAccount | string): Promise<{ people: MyPerson[]; etag: string }> {
	const account = typeof accountOrId === 'string' ? await accountForCodes(deps.db, accountOrId) : accountOrId;
	const now = deps.clock();
	const overlap = deps.config.codeOverlapMs;
	// People with their latest declaration: one statement (store/people.ts says why it is SQL text).
	const people = await peopleWithLatestDeclaration(deps.db, account.id);
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
			version = await codesVersion(deps.db, account.id);
			codes = await liveCodes(deps, people, now);
		}
	}
	// Beside the codes, not in them: what the decision rests on and the way back (one statement, plus place names).
	const explanations = await explanationsFor(deps.db, people);
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
				person.decl_status != null && person.decl_at != null ? { status: person.decl_status, submittedAt: Number(person.decl_at) } : null,
			explanation: explanations.get(person.id) ?? null
		};
	});
	// A due top-up that could not issue (no decision yet) must not make the answer uncacheable.
	return { people: out, etag: codesEtag(deps.hmacKey, account.id, version, Math.max(stableUntil, now + 1)) };
}

/** Live codes not yet expired, per person, in iat order: one statement for the whole account. */
async function liveCodes(deps: IssuerDeps, people: PeopleTable[], now: number): Promise<Map<string, LiveCode[]>> {
	const byPerson = new Map<string, LiveCode[]>();
	if (!people.length) return byPerson;
	const rows = await liveCodesOfPeople(
		deps.db,
		people.map((p) => p.id),
		now
	);
	for (const r of rows) {
		const list = byPerson.get(r.person_id);
		if (list) list.push(r);
		else byPerson.set(r.person_id, [r]);
	}
	return byPerson;
}
