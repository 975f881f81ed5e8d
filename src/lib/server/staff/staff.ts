/**
 * Authority staff accounts (`tongxing staff add`): scrypt password hashes (N = 2^15, r = 8, p = 1), sign-in
 * rate-limited per username and per address, sessions in the database like residents'.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Db, Store } from '../store/db.js';
import { hit, windowCount } from '../store/rate-limit.js';

/** Failed staff sign-ins allowed per address and per username in one window (staffSignIn). */
export const STAFF_FAILURES_PER_WINDOW = 10;
const STAFF_FAILURE_WINDOW_MS = 15 * 60_000;
import { insertStaff, setStaffDisabled, staffById, staffByUsername } from '../store/staff.js';
import { transaction } from '../store/db.js';
import { endSessionsOfSubject } from '../store/sessions.js';
import type { StaffRole } from '../../core/staff-roles.js';
import { isStaffRole } from '../../core/staff-roles.js';
import { toBase64Url, fromBase64Url } from '../../core/bytes.js';
import { DomainError } from '../domain-error.js';

const SCRYPT: ScryptOptions = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const scrypt = (password: string, salt: Uint8Array) =>
	new Promise<Buffer>((resolve, reject) =>
		scryptCb(password.normalize('NFKC'), salt, 32, SCRYPT, (e, key) => (e ? reject(e) : resolve(key)))
	);

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	return `scrypt$15$8$1$${toBase64Url(salt)}$${toBase64Url(await scrypt(password, salt))}`;
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
	const [kind, , , , salt, hash] = stored.split('$');
	const saltBytes = salt ? fromBase64Url(salt) : null;
	const expected = hash ? fromBase64Url(hash) : null;
	if (kind !== 'scrypt' || !saltBytes || !expected) return false;
	const actual = await scrypt(password, saltBytes);
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const USERNAME_RE = /^[a-z][a-z0-9._-]{2,31}$/;

export const MIN_PASSWORD_LENGTH = 12;

/** A new account with its role (`officer` unless said: the console and the CLI name it). RangeError for bad input. */
export async function addStaff(db: Db, username: string, password: string, nowMs: number, role: StaffRole = 'officer'): Promise<string> {
	if (!USERNAME_RE.test(username)) throw new RangeError('username: 3–32 of a-z 0-9 . _ -, starting with a letter');
	if (password.length < MIN_PASSWORD_LENGTH) throw new RangeError(`password: at least ${MIN_PASSWORD_LENGTH} characters`);
	if (!isStaffRole(role)) throw new RangeError('role: viewer, officer, approver or admin');
	const id = toBase64Url(randomBytes(9));
	await insertStaff(db, { id, username, password_hash: await hashPassword(password), created_at: nowMs, disabled_at: null, role });
	return id;
}

/** Returns the staff id, or throws one indistinguishable error for unknown user and wrong password. */
export async function staffSignIn(
	db: Store,
	input: { username: unknown; password: unknown; clientIp: string; nowMs: number }
): Promise<string> {
	const wrong = new DomainError('staff/invalid');
	if (typeof input.username !== 'string' || typeof input.password !== 'string' || input.password.length > 200) throw wrong;
	// Failed attempts count (10 per 15 min per address and per username), not sign-ins: a shift of officers behind
	// one office address signing in all morning is not an attack; guessing is. The budget is checked before the
	// (costly) password check and spent only when it fails.
	const buckets = [`staff-ip:${input.clientIp}`, `staff-user:${input.username}`];
	const windowStart = input.nowMs - (input.nowMs % STAFF_FAILURE_WINDOW_MS);
	for (const bucket of buckets) {
		if ((await windowCount(db, bucket, windowStart)) >= STAFF_FAILURES_PER_WINDOW)
			throw new DomainError('staff/rate-limited', { retryAfterSeconds: (windowStart + STAFF_FAILURE_WINDOW_MS - input.nowMs) / 1000 });
	}
	const row = await staffByUsername(db, input.username);
	// Hash even for unknown users, so timing does not reveal which usernames exist.
	const ok = await checkPassword(
		input.password,
		row?.password_hash ?? 'scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
	);
	if (!row || !ok || row.disabled_at !== null) {
		for (const bucket of buckets) await hit(db, bucket, STAFF_FAILURE_WINDOW_MS, STAFF_FAILURES_PER_WINDOW, input.nowMs);
		throw wrong;
	}
	return row.id;
}

/** The username for a staff session's subject (null if the account is gone or disabled). */
export async function staffUsername(db: Store, staffId: string): Promise<string | null> {
	const row = await staffById(db, staffId);
	return row && row.disabled_at === null ? row.username : null;
}

/**
 * Disables a staff account and ends its sessions in the same transaction: from this moment on nothing it signed in
 * to works (console requests, guard enrolments) — an open console tab is refused on its next request with
 * `staff/disabled`. Returns how many sessions ended; RangeError for an unknown user. `audit`: written in the same
 * transaction (the console's action; the CLI has none).
 */
export async function disableStaff(
	db: Store,
	username: string,
	nowMs: number,
	audit?: (tx: Db, ended: number) => Promise<void>
): Promise<number> {
	return transaction(db, async (tx) => {
		const id = await setStaffDisabled(tx, username, nowMs);
		if (!id) throw new RangeError(`no staff user ${username}`);
		const ended = await endSessionsOfSubject(tx, 'staff', id, nowMs);
		await audit?.(tx, ended);
		return ended;
	});
}

/** The role of a staff session's subject while the account is enabled; 'disabled' or null (no such account) otherwise. */
export async function activeStaffRole(db: Store, id: string): Promise<StaffRole | 'disabled' | null> {
	const row = await staffById(db, id);
	if (!row) return null;
	if (row.disabled_at !== null) return 'disabled';
	// an unknown value (a hand-edited row) reads as the least privilege, never as more
	return isStaffRole(row.role) ? row.role : 'viewer';
}
