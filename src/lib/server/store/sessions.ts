/**
 * sessions: signed-in residents, staff, guards and sources, keyed by the HMAC of their random token (the token
 * itself is never stored). The resident lookup joins the account in the same statement: it is the whole cost of
 * a conditional GET /me/codes (issuer/codes-etag.ts) and of every resident request (http/guard.ts).
 */
import type { Db } from './db.js';
import type { SessionsTable } from './schema.js';

export async function insertSession(db: Db, row: SessionsTable): Promise<void> {
	await db.insertInto('sessions').values(row).execute();
}

export async function sessionByTokenHmac(db: Db, tokenHmac: string): Promise<SessionsTable | undefined> {
	return db.selectFrom('sessions').selectAll().where('token_hmac', '=', tokenHmac).executeTakeFirst();
}

export async function deleteSession(db: Db, tokenHmac: string): Promise<void> {
	await db.deleteFrom('sessions').where('token_hmac', '=', tokenHmac).execute();
}

export interface SessionAccount {
	id: string;
	phone_hmac: string;
	device_key: string | null;
	codes_version: number;
}

/** The account of a live (unexpired) resident session: one indexed `sessions ⋈ accounts` statement. */
export async function residentAccountOfSession(db: Db, tokenHmac: string, nowMs: number): Promise<SessionAccount | undefined> {
	const row = await db
		.selectFrom('sessions')
		.innerJoin('accounts', 'accounts.id', 'sessions.subject')
		.select(['accounts.id', 'accounts.phone_hmac', 'accounts.device_key', 'accounts.codes_version'])
		.where('sessions.token_hmac', '=', tokenHmac)
		.where('sessions.role', '=', 'resident')
		.where('sessions.expires_at', '>', nowMs)
		.executeTakeFirst();
	return row && { ...row, codes_version: Number(row.codes_version) };
}

/**
 * Ends every open session of one subject in a role at once (a disabled staff account) by setting its expiry to
 * now: the row stays until retention removes it, so the next request with its token can be told why it was
 * refused (`staff/disabled`) rather than only "sign in". Returns how many were open.
 */
export async function endSessionsOfSubject(db: Db, role: string, subject: string, nowMs: number): Promise<number> {
	const r = await db
		.updateTable('sessions')
		.set({ expires_at: nowMs })
		.where('role', '=', role)
		.where('subject', '=', subject)
		.where('expires_at', '>', nowMs)
		.executeTakeFirst();
	return Number(r.numUpdatedRows);
}
