/**
 * A person's identity as stored: keyed hashes and masked forms, found or created under an account. The rows live
 * in store/people.ts; this decides what a registration may do.
 */
import type { PeopleTable } from '../store/schema.js';
import type { Db } from '../store/db.js';
import { personByIdHmac, savePerson } from '../store/people.js';
import { bumpCodesVersion } from '../store/codes-version.js';
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

/**
 * Finds or creates the person for an identity under this account; refuses an identity another account holds.
 * Does not bump this account's codes version: the caller's change does, once (the issuance pipeline, or the
 * declaration when it stays pending). A person taken over from another account bumps that account's.
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
	const hmac = idHmac(key, p.idType, p.idNumber);
	const existing = await personByIdHmac(db, hmac);
	if (existing && existing.removed_at === null) {
		if (existing.account_id !== p.accountId) throw new DomainError('identity/registered-elsewhere');
		if (existing.relation !== p.relation) throw new DomainError('identity/relation-conflict');
		return existing;
	}
	const row: PeopleTable = {
		id: existing?.id ?? newId(),
		account_id: p.accountId,
		id_hmac: hmac,
		id_masked: maskIdNumber(p.idNumber),
		id_suffix: idSuffix(p.idNumber),
		name_masked: maskName(p.name),
		region: p.region,
		relation: p.relation,
		consent_evidence: p.consent === undefined ? null : JSON.stringify(p.consent),
		created_at: p.nowMs,
		removed_at: null
	};
	await savePerson(db, row, existing !== undefined);
	// A person re-registered from another account (the earlier one removed it) leaves that account's list too.
	if (existing && existing.account_id !== p.accountId) await bumpCodesVersion(db, existing.account_id);
	return row;
}
