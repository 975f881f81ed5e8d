import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { findOrCreateAccount } from '../store/accounts.js';
import { fromBase64Url, toBase64Url } from '../../core/bytes.js';
import { isAcceptablePublicKey } from '../../core/ed25519/strict.js';
import { DomainError } from '../domain-error.js';

export const newId = () => toBase64Url(randomBytes(12));

/** The account for a phone, created at its first sign-in (so "known" and "unknown" phones look alike). */
export async function accountForPhone(db: Db, phone: string, nowMs: number): Promise<string> {
	return findOrCreateAccount(db, phone, newId(), nowMs);
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
