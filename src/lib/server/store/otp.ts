/**
 * otp_challenges: one-time sign-in codes sent by SMS, stored as HMACs bound to their challenge, with the
 * guesses made and when (if ever) the code was used.
 */
import type { Db } from './db.js';
import type { OtpChallengesTable } from './schema.js';
import type { Insertable, Selectable } from 'kysely';

export type OtpChallenge = Selectable<OtpChallengesTable>;

export async function insertOtpChallenge(db: Db, row: Insertable<OtpChallengesTable>): Promise<void> {
	await db.insertInto('otp_challenges').values(row).execute();
}

export async function otpChallenge(db: Db, id: string): Promise<OtpChallenge | undefined> {
	return db.selectFrom('otp_challenges').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Counts one wrong guess. */
export async function addOtpAttempt(db: Db, id: string): Promise<void> {
	await db
		.updateTable('otp_challenges')
		.set((eb) => ({ attempts: eb('attempts', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

/**
 * Marks the challenge used; true when this call did it. Single use even when two requests race: only one UPDATE
 * finds used_at still NULL (and the guesses under `maxAttempts`).
 */
export async function consumeOtpChallenge(db: Db, id: string, nowMs: number, maxAttempts: number): Promise<boolean> {
	const consumed = await db
		.updateTable('otp_challenges')
		.set({ used_at: nowMs })
		.where('id', '=', id)
		.where('used_at', 'is', null)
		.where('attempts', '<', maxAttempts)
		.executeTakeFirst();
	return Number(consumed.numUpdatedRows) === 1;
}
