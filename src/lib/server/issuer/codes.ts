/**
 * Issuing codes: the current one and the next, pre-issued, so a phone keeps a valid code through a day-long
 * outage (docs/issuance.md). Every colour decision is an append-only colour_events row; when the colour
 * changes, the person's earlier codes are revoked through the status list, otherwise they are superseded
 * (they still verify until they expire, which is harmless: same colour).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { CodesTable, Database } from '../store/schema.js';
import { toBase64Url } from '../../core/bytes.js';
import { CODE_ID_MIN_BYTES, type CodeClaims, type CodeKind, type Colour } from '../../core/claims.js';
import type { ColourReason } from '../../core/colour-reasons.js';
import { issueCredential } from '../../core/credential.js';
import { signerFor, type StoredIssuerKey } from '../keys/keystore.js';
import { DomainError } from '../domain-error.js';
import type { IssuerDeps } from './deps.js';
import { bumpCodesVersionOfPeople } from './codes-etag.js';
import { revokeCodes } from './status.js';

export interface ColourDecision {
	colour: Colour;
	/** Reasons carried in the code (non-green only). */
	reasons: ColourReason[];
	/** Reasons for the audit log, e.g. 'no-adverse-data' for green. */
	auditReasons: string[];
	ruleVersion: string;
	facts: unknown;
	actor: string;
	lastNegativeTestAt?: number;
}

export interface PersonForCode {
	id: string;
	region: string;
	name_masked: string;
	id_suffix: string;
	relation: 'self' | 'proxy';
}

type Db = Kysely<Database> | Transaction<Database>;

export const REFRESH_ACTOR = 'system/refresh';

/** Signs current + next for one person and stores them; revokes or supersedes what was live. Bumps the account's codes version. */
export async function issueCodes(
	deps: IssuerDeps,
	db: Db,
	person: PersonForCode,
	decision: ColourDecision,
	holder: { deviceKey: string | null; proxyName?: string },
	opts: { kind?: CodeKind } = {}
): Promise<CodesTable[]> {
	const now = deps.clock();
	const nowSec = Math.floor(now / 1000);
	const region = deps.config.region;
	const first = deps.keys.activeIssuer(region, nowSec);
	if (!first) throw new DomainError('issuer/no-key', { retryAfterSeconds: 60 });
	const kind: CodeKind = opts.kind ?? (person.relation === 'proxy' ? 'proxy' : 'phone');
	if (kind !== 'paper' && !holder.deviceKey) throw new DomainError('device/not-registered');
	const validity = Math.floor(deps.config.codeValidityMs / 1000);
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

	const previous = await db
		.selectFrom('codes')
		.select(['code_id', 'colour', 'kind'])
		.where('person_id', '=', person.id)
		.where('status', '=', 'live')
		.execute();
	const samePrevious = previous.filter((p) => p.kind === kind);
	const colourChanged = samePrevious.some((p) => p.colour !== decision.colour);
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
			reasons: decision.colour === 'green' ? [] : decision.reasons
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
	if (samePrevious.length) {
		const ids = samePrevious.map((p) => p.code_id);
		await db
			.updateTable('codes')
			.set({ status: colourChanged ? 'revoked' : 'superseded', revoked_at: colourChanged ? now : null })
			.where('code_id', 'in', ids)
			.execute();
		if (colourChanged) await revokeCodes(db, region, ids, now);
	}
	await db.insertInto('codes').values(rows).execute();
	await bumpCodesVersionOfPeople(db, [person.id]);
	// Routine renewals (same colour, before expiry) are not decisions; everything else is audited.
	// A paper code copies the latest decision (paper-code.ts), so it is never a decision of its own either.
	if (decision.actor === REFRESH_ACTOR && !colourChanged && (samePrevious.length || kind === 'paper')) return rows;
	await recordDecision(db, person.id, decision, now);
	return rows;
}

/** The append-only audit entry for a colour decision (green records why it is green, e.g. `no-adverse-data`). */
export async function recordDecision(db: Db, personId: string, decision: ColourDecision, nowMs: number): Promise<void> {
	// A new decision can make a top-up due (GET /me/codes issues from the latest decision): the ETag must move.
	await bumpCodesVersionOfPeople(db, [personId]);
	await db
		.insertInto('colour_events')
		.values({
			person_id: personId,
			at: nowMs,
			colour: decision.colour,
			reasons_json: JSON.stringify(decision.colour === 'green' ? decision.auditReasons : decision.reasons),
			rule_version: decision.ruleVersion,
			facts_json: JSON.stringify(decision.facts ?? null),
			actor: decision.actor
		})
		.execute();
}
