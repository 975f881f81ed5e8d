/**
 * A person's identity as stored: keyed hashes and masked forms, found or created under an account. The rows live
 * in store/people.ts; this decides what a registration may do.
 */
import type { PeopleTable } from '../store/schema.js';
import type { Db } from '../store/db.js';
import { peopleByIdHmac, savePerson } from '../store/people.js';
import { idSuffix, maskName } from '../../core/mask.js';
import { keyedHash } from '../secrets.js';
import { DomainError } from '../domain-error.js';
import { newId } from './accounts.js';

export { selfPerson } from '../store/people.js';

export function idHmac(key: Uint8Array, idType: string, idNumber: string): string {
	return keyedHash(key, 'id', `${idType}:${idNumber}`);
}

/** 44030119900101123X → 4403**********123X: enough to recognise, not enough to use. */
export function maskIdNumber(id: string): string {
	return id.length <= 8
		? id.slice(0, 1) + '*'.repeat(id.length - 2) + id.slice(-1)
		: id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/** A person's identity as rows store it: keyed hash and masked forms. */
export interface StoredIdentity {
	idHmac: string;
	idMasked: string;
	idSuffix: string;
	nameMasked: string;
}

export function storedIdentity(key: Uint8Array, idType: string, idNumber: string, name: string): StoredIdentity {
	return {
		idHmac: idHmac(key, idType, idNumber),
		idMasked: maskIdNumber(idNumber),
		idSuffix: idSuffix(idNumber),
		nameMasked: maskName(name)
	};
}

/**
 * Finds or creates the person for an identity under this account. A person may be held by several accounts: as
 * `self` by their own (one live self row per person: a second account declaring the same ID is refused) and as
 * `proxy` by each relative whose link was confirmed (issuer/member-links.ts). Someone else's link never blocks
 * the person's own declaration. Does not bump this account's codes version: the caller's change does, once
 * (the issuance pipeline, or the declaration when it stays pending).
 */
export async function upsertPerson(
	db: Db,
	key: Uint8Array,
	p: {
		accountId: string;
		idType: string;
		idNumber: string;
		name: string;
		region: string;
		relation: 'self' | 'proxy';
		consent?: unknown;
		nowMs: number;
	}
): Promise<PeopleTable> {
	return upsertPersonRow(db, { ...p, identity: storedIdentity(key, p.idType, p.idNumber, p.name) });
}

/** upsertPerson for an identity already reduced to its stored forms (a confirmed member link keeps only those). */
export async function upsertPersonRow(
	db: Db,
	p: { accountId: string; identity: StoredIdentity; region: string; relation: 'self' | 'proxy'; consent?: unknown; nowMs: number }
): Promise<PeopleTable> {
	const rows = await peopleByIdHmac(db, p.identity.idHmac);
	const mine = rows.filter((r) => r.account_id === p.accountId);
	const live = mine.find((r) => r.removed_at === null);
	if (live) {
		if (live.relation !== p.relation) throw new DomainError('identity/relation-conflict');
		return live;
	}
	if (p.relation === 'self' && rows.some((r) => r.relation === 'self' && r.removed_at === null))
		throw new DomainError('identity/registered-elsewhere');
	// A removed row of this account comes back (its history with it); otherwise a new row.
	const earlier = mine.find((r) => r.relation === p.relation);
	const row: PeopleTable = {
		id: earlier?.id ?? newId(),
		account_id: p.accountId,
		id_hmac: p.identity.idHmac,
		id_masked: p.identity.idMasked,
		id_suffix: p.identity.idSuffix,
		name_masked: p.identity.nameMasked,
		region: p.region,
		relation: p.relation,
		consent_evidence: p.consent === undefined ? null : JSON.stringify(p.consent),
		created_at: p.nowMs,
		removed_at: null
	};
	await savePerson(db, row, earlier !== undefined);
	return row;
}
