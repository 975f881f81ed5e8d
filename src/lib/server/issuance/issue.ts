/**
 * The issuance pipeline: every code is issued here, whatever asked for it — a declaration, a member added, a
 * recolour, a top-up, a paper code, a re-issue after a key compromise. Given a person and a colour decision it
 * 1. signs the current code and the next, pre-issued one (a phone keeps a valid code through a day-long outage,
 *    docs/issuance.md); without a registered device a phone or proxy decision is only recorded, its codes follow
 *    at the next sync (top-up.ts);
 * 2. when the colour or the reasons differ from any code of the person a scanner could still accept, revokes ALL of
 *    them through the status list (revoke.ts): live, superseded, pre-issued next, paper and proxy codes alike, so no
 *    earlier code carries a colour the person no longer has ("该红的没有红"); otherwise the earlier live codes of the
 *    kind being issued are superseded (same colour and reasons: harmless while they still verify);
 * 3. appends the decision to the audit log (colour_events) unless it is a copy of an earlier one (a routine
 *    renewal with the same colour, or a paper code);
 * 4. bumps the account's codes version (GET /me/codes ETag) exactly once.
 * Callers hold the transaction; nothing else writes codes or colour_events.
 */
import { randomBytes } from 'node:crypto';
import type { CodesTable, PeopleTable } from '../store/schema.js';
import type { Db } from '../store/db.js';
import { toBase64Url } from '../../core/bytes.js';
import { CODE_ID_MIN_BYTES, type CodeClaims, type CodeKind } from '../../core/claims.js';
import { issueCredential } from '../../core/credential.js';
import { sameReasons, type ColourReason } from '../../core/colour-reasons.js';
import { signerFor, type StoredIssuerKey } from '../keys/keystore.js';
import { DomainError } from '../domain-error.js';
import { DEFAULT_PAPER_VALIDITY_MS, type IssuerDeps } from '../deps.js';
import { insertCodes, setCodesStatus, unexpiredCodesOfPerson } from '../store/codes.js';
import { insertColourEvent } from '../store/colour-events.js';
import { bumpCodesVersionOfPeople } from '../store/codes-version.js';
import { deviceKeyOf } from '../store/accounts.js';
import { selfPerson } from '../store/people.js';
import { REFRESH_ACTOR, type ColourDecision } from './decision.js';
import { revokeCodes } from './revoke.js';

export type PersonForCode = Pick<PeopleTable, 'id' | 'account_id' | 'region' | 'name_masked' | 'id_suffix' | 'relation'>;

/** Whose device the codes are bound to; for a proxy member also the holder's masked name shown on them. */
export interface Holder {
	deviceKey: string | null;
	proxyName?: string;
}

export interface IssueOptions {
	/** 'paper': a paper code (no holder key, no next code). Default: phone, or proxy for a member. */
	kind?: CodeKind;
	/** The holder when the caller already has it; otherwise read here (the account's device key, the holder's name). */
	holder?: Holder;
}

export interface Issued {
	/** the codes signed (empty: no device registered, only the decision was recorded) */
	codes: CodesTable[];
	/** whether the decision went into colour_events */
	recorded: boolean;
}

/** Issues codes for one person from one decision, in the caller's transaction (see the header for what it does). */
export async function issue(
	deps: IssuerDeps,
	tx: Db,
	person: PersonForCode,
	decision: ColourDecision,
	opts: IssueOptions = {}
): Promise<Issued> {
	const now = deps.clock();
	const kind: CodeKind = opts.kind ?? (person.relation === 'proxy' ? 'proxy' : 'phone');
	const holder = opts.holder ?? (await holderOf(tx, person));
	// First, whatever else happens: a changed colour or reason leaves no earlier code valid, even without a device.
	const { changed, live } = await revokeOnChange(deps, tx, person.id, decision, now);
	let codes: CodesTable[] = [];
	let recorded: boolean;
	if (kind === 'paper' || holder.deviceKey) {
		const out = await signAndRetire(deps, tx, person, decision, holder, kind, live, now);
		codes = out.codes;
		// Routine renewals (same colour, before expiry) are not decisions; everything else is audited.
		// A paper code copies the latest decision (paper-code.ts), so it is never a decision of its own either.
		recorded = !(decision.actor === REFRESH_ACTOR && !changed && (out.retired || kind === 'paper'));
	} else {
		// No device: the decision waits for one. A copy of an earlier decision has nothing to add.
		recorded = decision.actor !== REFRESH_ACTOR;
	}
	if (recorded) await recordDecision(tx, person.id, decision, now);
	// One bump for the whole change: a new decision can make a top-up due (GET /me/codes issues from the latest
	// decision), new codes and retired ones change the list.
	if (codes.length || recorded) await bumpCodesVersionOfPeople(tx, [person.id]);
	return { codes, recorded };
}

/** The reasons a code carries for a decision (green carries none), as stored in codes.reasons_json. */
const codeReasons = (decision: ColourDecision): readonly ColourReason[] => (decision.colour === 'green' ? [] : decision.reasons);

/**
 * Revokes every code of the person a scanner could still accept (any kind, live or superseded, unexpired) when one
 * of them carries another colour or other reasons than `decision`. Returns whether it did, and the person's codes
 * still live afterwards (none after a revocation), which the new codes supersede.
 */
async function revokeOnChange(
	deps: IssuerDeps,
	tx: Db,
	personId: string,
	decision: ColourDecision,
	now: number
): Promise<{ changed: boolean; live: Pick<CodesTable, 'code_id' | 'kind'>[] }> {
	const held = await unexpiredCodesOfPerson(tx, personId, now);
	const reasons = codeReasons(decision);
	const changed = held.some(
		(c) => Number(c.exp) > now && (c.colour !== decision.colour || !sameReasons(JSON.parse(c.reasons_json) as string[], reasons))
	);
	if (changed)
		await revokeCodes(
			tx,
			deps.config.region,
			held.map((c) => c.code_id),
			now,
			{ bump: false }
		);
	return { changed, live: changed ? [] : held.filter((c) => c.status === 'live') };
}

/** The account's device key and, for a member, the holder's masked name. */
async function holderOf(db: Db, person: PersonForCode): Promise<Holder> {
	const deviceKey = await deviceKeyOf(db, person.account_id);
	const self = person.relation === 'proxy' ? await selfPerson(db, person.account_id) : undefined;
	return { deviceKey, ...(self ? { proxyName: self.name_masked } : {}) };
}

/** Signs current + next for one person and stores them; supersedes the still-live codes (`live`) of that kind. */
async function signAndRetire(
	deps: IssuerDeps,
	db: Db,
	person: PersonForCode,
	decision: ColourDecision,
	holder: Holder,
	kind: CodeKind,
	live: readonly Pick<CodesTable, 'code_id' | 'kind'>[],
	now: number
): Promise<{ codes: CodesTable[]; retired: boolean }> {
	const nowSec = Math.floor(now / 1000);
	const region = deps.config.region;
	const first = deps.keys.activeIssuer(region, nowSec);
	if (!first) throw new DomainError('issuer/no-key', { retryAfterSeconds: 60 });
	if (kind !== 'paper' && !holder.deviceKey) throw new DomainError('device/not-registered');
	// A paper code has its own, longer policy (issuer/paper-validity.ts); it has no next code to follow it.
	const validity = Math.floor(
		(kind === 'paper' ? (deps.config.paperValidityMs ?? DEFAULT_PAPER_VALIDITY_MS) : deps.config.codeValidityMs) / 1000
	);
	const overlap = Math.floor(deps.config.codeOverlapMs / 1000);
	// Each code is signed by the key whose window holds its iat (after a rotation the pre-issued next code
	// already uses the next key), and its exp never exceeds that key's notAfter.
	const windows: { iat: number; exp: number; key: StoredIssuerKey }[] = [
		{ iat: nowSec, exp: Math.min(nowSec + validity, first.notAfter), key: first }
	];
	// Normally the next code starts an overlap before the current one ends. When the current one was cut short
	// by its key's notAfter (a rotation is pending), the next one starts exactly there, with the next key.
	const capped = first.notAfter < nowSec + validity;
	const nextIat = capped ? windows[0]!.exp : windows[0]!.exp - overlap;
	const nextKey = kind === 'paper' || nextIat <= nowSec ? undefined : deps.keys.activeIssuer(region, nextIat);
	if (nextKey) windows.push({ iat: nextIat, exp: Math.min(nextIat + validity, nextKey.notAfter), key: nextKey });

	// What is still live after revokeOnChange has the decision's colour and reasons: superseded by the new codes.
	const previous = live.filter((p) => p.kind === kind);
	const rows: CodesTable[] = [];
	for (const { iat, exp, key } of windows) {
		const claims: CodeClaims = {
			iss: key.region,
			iat,
			exp,
			codeId: toBase64Url(randomBytes(CODE_ID_MIN_BYTES)),
			colour: decision.colour,
			maskedName: person.name_masked,
			idSuffix: person.id_suffix,
			kind,
			reasons: [...codeReasons(decision)]
		};
		if (kind !== 'paper') claims.holderKey = holder.deviceKey!;
		if (kind === 'proxy') claims.proxyName = holder.proxyName ?? '代*';
		if (decision.lastNegativeTestAt !== undefined) claims.lastNegativeTestAt = decision.lastNegativeTestAt;
		const credential = await issueCredential(claims, signerFor(key));
		rows.push({
			code_id: claims.codeId,
			person_id: person.id,
			kid: key.kid,
			iat: iat * 1000,
			exp: exp * 1000,
			colour: decision.colour,
			reasons_json: JSON.stringify(claims.reasons),
			kind,
			holder_key: claims.holderKey ?? null,
			credential: toBase64Url(credential),
			status: 'live',
			created_at: now,
			revoked_at: null
		});
	}
	await setCodesStatus(
		db,
		previous.map((p) => p.code_id),
		'superseded',
		now
	);
	await insertCodes(db, rows);
	return { codes: rows, retired: previous.length > 0 };
}

/** The append-only audit entry for a colour decision (green records why it is green, e.g. `no-adverse-data`). */
async function recordDecision(db: Db, personId: string, decision: ColourDecision, nowMs: number): Promise<void> {
	await insertColourEvent(db, {
		person_id: personId,
		at: nowMs,
		colour: decision.colour,
		reasons_json: JSON.stringify(decision.colour === 'green' ? decision.auditReasons : decision.reasons),
		rule_version: decision.ruleVersion,
		facts_json: JSON.stringify(decision.facts ?? null),
		actor: decision.actor,
		proposal_id: decision.staff?.proposalId ?? null,
		reason_code: decision.staff?.reasonCode ?? null,
		explain_json: decision.explanation ?? null
	});
}
