/**
 * Who is signed in to the console, asked of the server (GET /api/v1/staff/session): the session cookie is
 * HttpOnly, so the page cannot read it. Pages render their content only when `status` is 'signed-in'; the
 * console layout sends everyone else to /console/signin.
 */
import { roleAtLeast, type StaffRole } from '$lib/core/staff-roles';
import { getConfig, getStaffSession, signOut as endSession } from './console-client';

type Status = 'unknown' | 'signed-in' | 'signed-out' | 'offline';

export const staff = $state<{
	status: Status;
	username: string | null;
	/** core/staff-roles.ts; null until the server said */
	role: StaffRole | null;
	demo: boolean;
	/** why the last session ended, when the server said (`staff/disabled`: an admin disabled the account) */
	ended: string | null;
}>({ status: 'unknown', username: null, role: null, demo: false, ended: null });

export async function checkStaff(): Promise<void> {
	const r = await getStaffSession();
	if (r.ok) {
		staff.status = 'signed-in';
		staff.username = r.data.username;
		staff.role = r.data.role;
		staff.ended = null;
	} else {
		staff.status = r.problem.status === 0 ? 'offline' : 'signed-out';
		staff.username = null;
		staff.role = null;
		staff.ended = r.problem.code === 'staff/disabled' ? r.problem.code : null;
	}
}

/**
 * Whether the signed-in member's role may do what needs `need` (the page hides what it may not; the server refuses
 * it anyway, http/guard.ts).
 */
export function staffCan(need: StaffRole): boolean {
	return staff.status === 'signed-in' && staff.role !== null && roleAtLeast(staff.role, need);
}

/** Whether the server runs in demo mode (then the sign-in page shows the demo account). */
export async function checkDemo(): Promise<void> {
	const r = await getConfig();
	staff.demo = r.ok && r.data.demo === true;
}

export function markSignedIn(username: string): void {
	staff.status = 'signed-in';
	staff.username = username;
	staff.ended = null;
	// the role comes with the session (GET /api/v1/staff/session)
	void checkStaff();
}

/**
 * A 401 from any console call: the session expired or was ended elsewhere. Asks the server why once, so the
 * sign-in page can say that an admin disabled the account (`staff/disabled`) rather than only "sign in".
 */
export function markSignedOut(): void {
	if (staff.status === 'signed-out') return;
	staff.status = 'signed-out';
	staff.username = null;
	staff.role = null;
	void getStaffSession().then((r) => {
		staff.ended = !r.ok && r.problem.code === 'staff/disabled' ? r.problem.code : null;
	});
}

export async function signOut(): Promise<void> {
	await endSession();
	staff.status = 'signed-out';
	staff.username = null;
	staff.role = null;
	staff.ended = null;
}
