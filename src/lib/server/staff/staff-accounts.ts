/**
 * The console's staff page (issue 15, "People and devices"): list the accounts, add one with a role (its first
 * password generated and shown once), change a role, disable one — its sessions end at once, so an open console
 * tab is refused on its next request (`staff/disabled`). Each change is audited in the same transaction
 * (staff_audit, `staff.add` / `staff.role` / `staff.disable`). An admin cannot disable or demote themself, so
 * there is always an admin left to undo a mistake.
 */
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../core/bytes.js';
import { isStaffRole, type StaffRole } from '../../core/staff-roles.js';
import type { AddedStaff, DisabledStaff, StaffAccount } from '../../core/contract/console-people.js';
import { recordStaffAction } from '../audit/record-staff-action.js';
import type { IssuerDeps } from '../deps.js';
import { DomainError } from '../domain-error.js';
import { transaction } from '../store/db.js';
import { isUniqueViolation } from '../store/errors.js';
import { listStaffRows, setStaffRole, staffById, staffByUsername } from '../store/staff.js';
import { addStaff, disableStaff, USERNAME_RE } from './staff.js';

/** The acting member's username (for the audit row); an account that vanished mid-request is not signed in. */
export async function actorName(deps: IssuerDeps, staffId: string): Promise<string> {
	const row = await staffById(deps.db, staffId);
	if (!row) throw new DomainError('auth/required');
	return row.username;
}

export async function listStaffAccounts(deps: IssuerDeps): Promise<StaffAccount[]> {
	return (await listStaffRows(deps.db, deps.clock())).map((r) => ({
		username: r.username,
		role: isStaffRole(r.role) ? r.role : 'viewer',
		createdAt: r.created_at,
		disabledAt: r.disabled_at,
		lastSeenAt: r.last_seen_at,
		openSessions: r.disabled_at === null ? r.open_sessions : 0
	}));
}

function checkRole(role: unknown): StaffRole {
	if (!isStaffRole(role)) throw new DomainError('staff/role-invalid');
	return role;
}

export async function addStaffAccount(
	deps: IssuerDeps,
	staffId: string,
	input: { username?: unknown; role?: unknown }
): Promise<AddedStaff> {
	if (typeof input.username !== 'string' || !USERNAME_RE.test(input.username)) throw new DomainError('staff/username-invalid');
	const username = input.username;
	const role = checkRole(input.role);
	const actor = await actorName(deps, staffId);
	// 20 random bytes: 27 base64url characters, well over the 12-character minimum
	const password = toBase64Url(randomBytes(20));
	const now = deps.clock();
	try {
		await transaction(deps.db, async (tx) => {
			await addStaff(tx, username, password, now, role);
			await recordStaffAction(tx, { actor, action: 'staff.add', target: username, detail: { role }, at: now });
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new DomainError('staff/username-taken');
		throw e;
	}
	return { username, role, password };
}

export async function changeStaffRole(deps: IssuerDeps, staffId: string, username: string, role: unknown): Promise<StaffAccount> {
	const next = checkRole(role);
	const actor = await actorName(deps, staffId);
	if (actor === username) throw new DomainError('staff/self');
	const row = await staffByUsername(deps.db, username);
	if (!row) throw new DomainError('staff/not-found');
	const now = deps.clock();
	await transaction(deps.db, async (tx) => {
		await setStaffRole(tx, username, next);
		await recordStaffAction(tx, { actor, action: 'staff.role', target: username, detail: { from: row.role, to: next }, at: now });
	});
	const account = (await listStaffAccounts(deps)).find((a) => a.username === username);
	if (!account) throw new DomainError('staff/not-found');
	return account;
}

export async function disableStaffAccount(deps: IssuerDeps, staffId: string, username: string): Promise<DisabledStaff> {
	const actor = await actorName(deps, staffId);
	if (actor === username) throw new DomainError('staff/self');
	const row = await staffByUsername(deps.db, username);
	if (!row) throw new DomainError('staff/not-found');
	const now = deps.clock();
	const ended = await disableStaff(deps.db, username, now, (tx, sessionsEnded) =>
		recordStaffAction(tx, { actor, action: 'staff.disable', target: username, detail: { sessionsEnded }, at: now })
	);
	return { username, disabledAt: row.disabled_at ?? now, sessionsEnded: ended };
}
