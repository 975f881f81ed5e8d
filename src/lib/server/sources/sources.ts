/**
 * Data-source API keys (`tongxing source add SOURCE`); only the key's HMAC is stored. What each source
 * delivers and how it is validated: kinds.ts; the push API: push.ts; the file import: import.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { insertSourceKey, listSourceKeys, revokeSourceKeyById, sourceKeyByHmac } from '../store/source-keys.js';
import { toBase64Url } from '../../core/bytes.js';
import { DomainError } from '../domain-error.js';
import type { IssuerDeps } from '../issuer/deps.js';
import { keyedHash } from '../secrets.js';
import { SOURCES, type Source } from './kinds.js';
import { storeRecords } from './push.js';

export { SOURCES, type Source };
export { MAX_PUSH_RECORDS } from './push.js';

export async function addSourceKey(db: Db, key: Uint8Array, source: Source, nowMs: number): Promise<string> {
	return (await addSourceKeyWithId(db, key, source, nowMs)).apiKey;
}

/** The same, with the key's id (the console lists and revokes keys by id). */
export async function addSourceKeyWithId(db: Db, key: Uint8Array, source: Source, nowMs: number): Promise<{ id: string; apiKey: string }> {
	const apiKey = `txs_${toBase64Url(randomBytes(32))}`;
	const id = toBase64Url(randomBytes(9));
	await insertSourceKey(db, { id, source, keyHmac: keyedHash(key, 'source', apiKey), createdAt: nowMs });
	return { id, apiKey };
}

export async function sourceKeyFor(db: Db, key: Uint8Array, apiKey: string | undefined): Promise<{ id: string; source: Source } | null> {
	if (!apiKey || apiKey.length > 100) return null;
	const row = await sourceKeyByHmac(db, keyedHash(key, 'source', apiKey));
	if (!row) return null;
	if (row.revoked_at !== null) throw new DomainError('source/revoked');
	return { id: row.id, source: row.source as Source };
}

/** Withdraws a source key by its id (`tongxing source list`): its pushes are refused from now on. `actor` as revokeGuard. */
export async function revokeSourceKey(db: Db, id: string, nowMs: number, actor = 'cli'): Promise<void> {
	if (!(await revokeSourceKeyById(db, id, nowMs, actor))) throw new RangeError(`no source key ${id}`);
}

export { listSourceKeys };

export async function sourceForKey(db: Db, key: Uint8Array, apiKey: string | undefined): Promise<Source | null> {
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
export async function requireSource(db: Db, key: Uint8Array, apiKey: string | undefined, expected: Source): Promise<string> {
	const found = await sourceKeyFor(db, key, apiKey);
	if (found?.source !== expected) throw new DomainError('auth/source', { detail: `A ${expected} source key is required` });
	return found.id;
}
