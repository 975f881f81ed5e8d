import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { accountPhone, findOrCreateAccount, sealUnsealedAccountPhones } from '../store/accounts.js';
import { fromBase64Url, toBase64Url } from '../../core/bytes.js';
import { isAcceptablePublicKey } from '../../core/ed25519/strict.js';
import { DomainError } from '../domain-error.js';
import { keyedHash } from '../secrets.js';
import { openPhone, sealPhone } from '../crypto/phone-seal.js';
import type { IssuerDeps } from '../deps.js';

export const newId = () => toBase64Url(randomBytes(12));

type PhoneKeys = Pick<IssuerDeps, 'hmacKey' | 'phoneKey'>;

/** The account for a phone, created at its first sign-in (so "known" and "unknown" phones look alike). */
export async function accountForPhone(deps: PhoneKeys & { db: Db }, phone: string, nowMs: number): Promise<string> {
	const id = newId();
	return findOrCreateAccount(
		deps.db,
		{ hmac: keyedHash(deps.hmacKey, 'phone', phone), enc: sealPhone(deps.phoneKey, id, phone) },
		id,
		nowMs
	);
}

/**
 * The account's phone, for sending it an SMS or showing it masked: null when there is no such account or the
 * sealed phone does not open (another phone key: the operator restored the database without its keys).
 */
export async function phoneOfAccount(deps: PhoneKeys & { db: Db }, accountId: string): Promise<string | null> {
	const row = await accountPhone(deps.db, accountId);
	return row?.phone_enc ? openPhone(deps.phoneKey, accountId, row.phone_enc) : null;
}

/** Whether `phone` is the account's own (compared by HMAC: the account holds no clear phone). */
export async function isPhoneOfAccount(deps: PhoneKeys & { db: Db }, accountId: string, phone: string): Promise<boolean> {
	const row = await accountPhone(deps.db, accountId);
	return row !== undefined && row.phone_hmac === keyedHash(deps.hmacKey, 'phone', phone);
}

/**
 * Start-up step after migrations (migration 013 explains why it is not one): seals the phones of accounts created
 * before it. Idempotent and transactional; returns how many rows it converted.
 */
export function sealLegacyPhones(deps: PhoneKeys & { db: IssuerDeps['db'] }): Promise<number> {
	return sealUnsealedAccountPhones(deps.db, (id, phone) => ({
		hmac: keyedHash(deps.hmacKey, 'phone', phone),
		enc: sealPhone(deps.phoneKey, id, phone)
	}));
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
