/**
 * Sessions live in the database (any instance can check them) as HMACs of random tokens; the token itself
 * exists only in the client's cookie (Secure, HttpOnly, SameSite=Strict) or bearer header.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { deleteSession, insertSession, sessionByTokenHmac } from '../store/sessions.js';
import { toBase64Url } from '../../core/bytes.js';
import { keyedHash } from '../secrets.js';

export const SESSION_COOKIE = 'tx_session';
export const RESIDENT_SESSION_MS = 30 * 24 * 3_600_000;

export type Role = 'resident' | 'guard' | 'staff' | 'source';

export interface Session {
	role: Role;
	subject: string;
	accountId: string | null;
	expiresAt: number;
}

export async function createSession(
	db: Db,
	key: Uint8Array,
	s: { role: Role; subject: string; accountId: string | null; nowMs: number; ttlMs: number }
): Promise<{ token: string; expiresAt: number }> {
	const token = toBase64Url(randomBytes(32));
	const expiresAt = s.nowMs + s.ttlMs;
	await insertSession(db, {
		token_hmac: keyedHash(key, 'session', token),
		account_id: s.accountId,
		role: s.role,
		subject: s.subject,
		created_at: s.nowMs,
		expires_at: expiresAt,
		last_seen_at: s.nowMs
	});
	return { token, expiresAt };
}

export async function findSession(db: Db, key: Uint8Array, token: string | undefined, nowMs: number): Promise<Session | null> {
	if (!token || token.length > 100) return null;
	const row = await sessionByTokenHmac(db, keyedHash(key, 'session', token));
	if (!row || row.expires_at <= nowMs) return null;
	return { role: row.role as Role, subject: row.subject, accountId: row.account_id, expiresAt: row.expires_at };
}

export async function endSession(db: Db, key: Uint8Array, token: string): Promise<void> {
	await deleteSession(db, keyedHash(key, 'session', token));
}
