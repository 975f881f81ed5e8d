/**
 * Data sources push facts with an API key each (`tongxing source add SOURCE`); only the key's HMAC is
 * stored. This issue covers the identity facts the declaration cross-check needs — the public-security
 * household register and the carrier phone registry — stored as keyed hashes. Health facts, relations and
 * trajectories arrive with the data-sources issue.
 *
 * A push is all-or-nothing: every record is validated first; any invalid record → 422 listing each bad
 * record by index and field, and nothing is written.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { toBase64Url } from '../../core/bytes.js';
import { isRegionCode } from '../../core/declaration/regions.js';
import { validateResidentId } from '../../core/declaration/resident-id.js';
import { normaliseName } from '../../core/declaration/schema.js';
import { normalisePhone } from '../auth/phone.js';
import { ApiError, type FieldProblem } from '../http/api-error.js';
import { nameHmac } from '../issuer/cross-check.js';
import { idHmac } from '../issuer/people.js';
import { keyedHash } from '../secrets.js';

export const SOURCES = ['public-security', 'carrier', 'health'] as const;
export type Source = (typeof SOURCES)[number];
export const MAX_PUSH_RECORDS = 5000;

export async function addSourceKey(db: Kysely<Database>, key: Uint8Array, source: Source, nowMs: number): Promise<string> {
	const apiKey = `txs_${toBase64Url(randomBytes(32))}`;
	await db.insertInto('data_source_keys').values({ id: toBase64Url(randomBytes(9)), source, key_hmac: keyedHash(key, 'source', apiKey), created_at: nowMs, revoked_at: null }).execute();
	return apiKey;
}

export async function sourceForKey(db: Kysely<Database>, key: Uint8Array, apiKey: string | undefined): Promise<Source | null> {
	if (!apiKey || apiKey.length > 100) return null;
	const row = await db.selectFrom('data_source_keys').select(['source', 'revoked_at']).where('key_hmac', '=', keyedHash(key, 'source', apiKey)).executeTakeFirst();
	return row && row.revoked_at === null ? (row.source as Source) : null;
}

const err = (i: number, field: string, code: string, zh: string, en: string): FieldProblem => ({ field: `records.${i}.${field}`, code, message: { 'zh-CN': zh, en } });

function records(body: unknown): unknown[] {
	const recs = (body as { records?: unknown } | null)?.records;
	if (typeof body !== 'object' || body === null || !Array.isArray(recs) || Object.keys(body).some((k) => k !== 'records')) {
		throw new ApiError(400, 'source/shape', 'Send {"records": [...]} / 请发送 records 数组');
	}
	if (recs.length > MAX_PUSH_RECORDS) throw new ApiError(413, 'source/too-many', `At most ${MAX_PUSH_RECORDS} records per push / 每次最多 ${MAX_PUSH_RECORDS} 条`);
	return recs;
}

/** public-security: { records: [{ idNumber, name, region, household? }] } → household_register. */
export async function pushHouseholdRegister(db: Kysely<Database>, key: Uint8Array, body: unknown, nowMs: number): Promise<{ upserted: number }> {
	const errors: FieldProblem[] = [];
	const rows = records(body).map((r, i) => {
		const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
		const id = typeof o.idNumber === 'string' ? validateResidentId(o.idNumber, nowMs) : null;
		if (!id?.ok) errors.push(err(i, 'idNumber', id && !id.ok ? id.code : 'id/format', '证件号无效', 'invalid resident ID number'));
		const name = typeof o.name === 'string' ? normaliseName(o.name) : '';
		if (!name || name.length > 30) errors.push(err(i, 'name', 'name/length', '姓名无效', 'invalid name'));
		if (typeof o.region !== 'string' || !isRegionCode(o.region)) errors.push(err(i, 'region', 'region/unknown', '地区代码无效', 'unknown GB/T 2260 region'));
		if (o.household !== undefined && (typeof o.household !== 'string' || o.household.length > 40)) errors.push(err(i, 'household', 'household/format', '户号无效', 'invalid household id'));
		return id?.ok ? { id_hmac: idHmac(key, 'resident', id.value), name_hmac: nameHmac(key, name), region: String(o.region), household_id: (o.household as string | undefined) ?? null, updated_at: nowMs } : null;
	});
	if (errors.length) throw new ApiError(422, 'source/invalid-records', 'Some records are invalid; nothing was written / 部分记录无效，未写入', { errors });
	await db.transaction().execute(async (tx) => {
		for (const row of rows) {
			await tx.insertInto('household_register').values(row!).onConflict((oc) => oc.column('id_hmac').doUpdateSet({ name_hmac: row!.name_hmac, region: row!.region, household_id: row!.household_id, updated_at: nowMs })).execute();
		}
	});
	return { upserted: rows.length };
}

/** carrier: { records: [{ phone, idNumber }] } → phone_registry. */
export async function pushPhoneRegistry(db: Kysely<Database>, key: Uint8Array, body: unknown, nowMs: number): Promise<{ upserted: number }> {
	const errors: FieldProblem[] = [];
	const rows = records(body).map((r, i) => {
		const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
		const phone = normalisePhone(o.phone);
		if (!phone) errors.push(err(i, 'phone', 'phone/format', '手机号无效', 'invalid mainland mobile number'));
		const id = typeof o.idNumber === 'string' ? validateResidentId(o.idNumber, nowMs) : null;
		if (!id?.ok) errors.push(err(i, 'idNumber', id && !id.ok ? id.code : 'id/format', '证件号无效', 'invalid resident ID number'));
		return phone && id?.ok ? { phone_hmac: keyedHash(key, 'phone', phone), id_hmac: idHmac(key, 'resident', id.value), updated_at: nowMs } : null;
	});
	if (errors.length) throw new ApiError(422, 'source/invalid-records', 'Some records are invalid; nothing was written / 部分记录无效，未写入', { errors });
	await db.transaction().execute(async (tx) => {
		for (const row of rows) {
			await tx.insertInto('phone_registry').values(row!).onConflict((oc) => oc.column('phone_hmac').doUpdateSet({ id_hmac: row!.id_hmac, updated_at: nowMs })).execute();
		}
	});
	return { upserted: rows.length };
}

/** The route guard: the bearer key must belong to `expected`. */
export async function requireSource(db: Kysely<Database>, key: Uint8Array, apiKey: string | undefined, expected: Source): Promise<void> {
	if ((await sourceForKey(db, key, apiKey)) !== expected) throw new ApiError(401, 'auth/source', `A ${expected} source key is required / 需要对应数据源密钥`);
}
