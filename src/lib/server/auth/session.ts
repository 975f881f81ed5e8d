/**
 * Sessions live in the database (any instance can check them) as HMACs of random tokens; the token itself
 * exists only in the client's cookie (Secure, HttpOnly, SameSite=Strict) or bearer header.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
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
	db: Kysely<Database>,
	key: Uint8Array,
	s: { role: Role; subject: string; accountId: string | null; nowMs: number; ttlMs: number }
): Promise<{ token: string; expiresAt: number }> {
	const token = toBase64Url(randomBytes(32));
	const expiresAt = s.nowMs + s.ttlMs;
	await db
		.insertInto('sessions')
		.values({
			token_hmac: keyedHash(key, 'session', token),
			account_id: s.accountId,
			role: s.role,
			subject: s.subject,
			created_at: s.nowMs,
			expires_at: expiresAt,
			last_seen_at: s.nowMs
		})
		.execute();
	return { token, expiresAt };
}

export async function findSession(
	db: Kysely<Database>,
	key: Uint8Array,
	token: string | undefined,
	nowMs: number
): Promise<Session | null> {
	if (!token || token.length > 100) return null;
	const row = await db
		.selectFrom('sessions')
		.selectAll()
		.where('token_hmac', '=', keyedHash(key, 'session', token))
		.executeTakeFirst();
	if (!row || row.expires_at <= nowMs) return null;
	return { role: row.role as Role, subject: row.subject, accountId: row.account_id, expiresAt: row.expires_at };
}

export async function endSession(db: Kysely<Database>, key: Uint8Array, token: string): Promise<void> {
	await db
		.deleteFrom('sessions')
		.where('token_hmac', '=', keyedHash(key, 'session', token))
		.execute();
}
