/**
 * Stored phones, sealed: AES-256-GCM (node:crypto) with a random 96-bit nonce and the account id as additional
 * authenticated data, so a sealed phone copied onto another account's row does not open. The text form is
 * versioned — `v1.<nonce>.<ciphertext+tag>`, both base64url — so the algorithm or key can change later with old
 * rows still readable. Lookup and uniqueness never use this (the nonce makes it differ every time): they use
 * keyedHash(hmacKey, 'phone', phone).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fromBase64Url, toBase64Url } from '../../core/bytes.js';

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function sealPhone(key: Uint8Array, accountId: string, phone: string): string {
	const nonce = randomBytes(NONCE_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
	cipher.setAAD(Buffer.from(accountId, 'utf8'));
	const body = Buffer.concat([cipher.update(phone, 'utf8'), cipher.final(), cipher.getAuthTag()]);
	return `${VERSION}.${toBase64Url(nonce)}.${toBase64Url(body)}`;
}

/** The phone sealed for `accountId`, or null when the text is malformed, of another account, or of another key. */
export function openPhone(key: Uint8Array, accountId: string, sealed: string): string | null {
	const [version, n, b, ...rest] = sealed.split('.');
	if (version !== VERSION || rest.length || n === undefined || b === undefined) return null;
	const nonce = fromBase64Url(n);
	const body = fromBase64Url(b);
	if (!nonce || nonce.length !== NONCE_BYTES || !body || body.length < TAG_BYTES) return null;
	try {
		const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
		decipher.setAAD(Buffer.from(accountId, 'utf8'));
		decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
		return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
	} catch {
		return null; // wrong key, wrong account or tampered: the tag does not verify
	}
}
