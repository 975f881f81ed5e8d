import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { isUniqueViolation } from '../store/errors.js';
import { fromBase64Url, toBase64Url } from '../../core/bytes.js';
import { isAcceptablePublicKey } from '../../core/ed25519/strict.js';
import { DomainError } from '../domain-error.js';

export const newId = () => toBase64Url(randomBytes(12));

/** The account for a phone, created at its first sign-in (so "known" and "unknown" phones look alike). */
export async function accountForPhone(db: Kysely<Database>, phone: string, nowMs: number): Promise<string> {
	const existing = await db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirst();
	if (existing) return existing.id;
	const id = newId();
	try {
		await db.insertInto('accounts').values({ id, phone, created_at: nowMs, device_key: null }).execute();
		return id;
	} catch (e) {
		// Two sign-ins racing on two instances: the other one created it.
		if (!isUniqueViolation(e)) throw e;
		return (await db.selectFrom('accounts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()).id;
	}
}

/** Validates a device public key: 32 bytes base64url, canonical, not of small order. */
export function parseDeviceKey(value: unknown): string {
	const bytes = typeof value === 'string' ? fromBase64Url(value) : null;
	if (!bytes || !isAcceptablePublicKey(bytes)) {
		throw new DomainError('request/invalid', {
			errors: [{ field: 'publicKey', code: 'device/key', message: { 'zh-CN': '设备公钥无效', en: 'not an acceptable Ed25519 public key' } }]
		});
	}
	return value as string;
}
