/**
 * Data-source API keys (`tongxing source add SOURCE`); only the key's HMAC is stored. What each source
 * delivers and how it is validated: kinds.ts; the push API: push.ts; the file import: import.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { toBase64Url } from '../../core/bytes.js';
import { DomainError } from '../domain-error.js';
import type { IssuerDeps } from '../issuer/deps.js';
import { keyedHash } from '../secrets.js';
import { SOURCES, type Source } from './kinds.js';
import { storeRecords } from './push.js';

export { SOURCES, type Source };
export { MAX_PUSH_RECORDS } from './push.js';

export async function addSourceKey(db: Kysely<Database>, key: Uint8Array, source: Source, nowMs: number): Promise<string> {
	const apiKey = `txs_${toBase64Url(randomBytes(32))}`;
	await db
		.insertInto('data_source_keys')
		.values({ id: toBase64Url(randomBytes(9)), source, key_hmac: keyedHash(key, 'source', apiKey), created_at: nowMs, revoked_at: null })
		.execute();
	return apiKey;
}

export async function sourceKeyFor(
	db: Kysely<Database>,
	key: Uint8Array,
	apiKey: string | undefined
): Promise<{ id: string; source: Source } | null> {
	if (!apiKey || apiKey.length > 100) return null;
	const row = await db
		.selectFrom('data_source_keys')
		.select(['id', 'source', 'revoked_at'])
		.where('key_hmac', '=', keyedHash(key, 'source', apiKey))
		.executeTakeFirst();
	return row && row.revoked_at === null ? { id: row.id, source: row.source as Source } : null;
}

export async function sourceForKey(db: Kysely<Database>, key: Uint8Array, apiKey: string | undefined): Promise<Source | null> {
	return (await sourceKeyFor(db, key, apiKey))?.source ?? null;
}

/** public-security: { records: [{ idNumber, name, region, household? }] } → household_register (no recolouring: identity only). */
export async function pushHouseholdRegister(deps: IssuerDeps, body: unknown): Promise<{ upserted: number }> {
	return { upserted: (await storeRecords(deps, 'register', body)).accepted };
}

/** carrier: { records: [{ phone, idNumber }] } → phone_registry. */
export async function pushPhoneRegistry(deps: IssuerDeps, body: unknown): Promise<{ upserted: number }> {
	return { upserted: (await storeRecords(deps, 'phones', body)).accepted };
}

/** The route guard: the bearer key must belong to `expected`. Returns the key's id (the audit actor). */
export async function requireSource(db: Kysely<Database>, key: Uint8Array, apiKey: string | undefined, expected: Source): Promise<string> {
	const found = await sourceKeyFor(db, key, apiKey);
	if (found?.source !== expected) throw new DomainError('auth/source', { detail: `A ${expected} source key is required` });
	return found.id;
}
