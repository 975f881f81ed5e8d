import type { Kysely, Transaction } from 'kysely';
import type { Database, PeopleTable } from '../store/schema.js';
import { idSuffix, maskName } from '../../core/mask.js';
import { keyedHash } from '../secrets.js';
import { DomainError } from '../domain-error.js';
import { newId } from './accounts.js';
import { bumpCodesVersion } from './codes-etag.js';

type Db = Kysely<Database> | Transaction<Database>;

export function idHmac(key: Uint8Array, idType: string, idNumber: string): string {
	return keyedHash(key, 'id', `${idType}:${idNumber}`);
}

/** 44030119900101123X → 4403**********123X: enough to recognise, not enough to use. */
export function maskIdNumber(id: string): string {
	return id.length <= 8
		? id.slice(0, 1) + '*'.repeat(id.length - 2) + id.slice(-1)
		: id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/** Finds or creates the person for an identity under this account; refuses an identity another account holds. */
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
	const existing = await db.selectFrom('people').selectAll().where('id_hmac', '=', hmac).executeTakeFirst();
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
	if (existing) await db.updateTable('people').set(row).where('id', '=', existing.id).execute();
	else await db.insertInto('people').values(row).execute();
	await bumpCodesVersion(db, p.accountId);
	// A person re-registered from another account (the earlier one removed it) leaves that account's list too.
	if (existing && existing.account_id !== p.accountId) await bumpCodesVersion(db, existing.account_id);
	return row;
}

export async function selfPerson(db: Db, accountId: string): Promise<PeopleTable | undefined> {
	return db
		.selectFrom('people')
		.selectAll()
		.where('account_id', '=', accountId)
		.where('relation', '=', 'self')
		.where('removed_at', 'is', null)
		.executeTakeFirst();
}
