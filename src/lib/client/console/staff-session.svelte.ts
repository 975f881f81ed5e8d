/**
 * Who is signed in to the console, asked of the server (GET /api/v1/staff/session): the session cookie is
 * HttpOnly, so the page cannot read it. Pages render their content only when `status` is 'signed-in'; the
 * console layout sends everyone else to /console/signin.
 */
import { getConfig, getStaffSession, signOut as endSession } from './console-client';

type Status = 'unknown' | 'signed-in' | 'signed-out' | 'offline';

export const staff = $state<{ status: Status; username: string | null; demo: boolean }>({ status: 'unknown', username: null, demo: false });

export async function checkStaff(): Promise<void> {
	const r = await getStaffSession();
	if (r.ok) {
		staff.status = 'signed-in';
		staff.username = r.data.username;
	} else {
		staff.status = r.problem.status === 0 ? 'offline' : 'signed-out';
		staff.username = null;
	}
}

/** Whether the server runs in demo mode (then the sign-in page shows the demo account). */
export async function checkDemo(): Promise<void> {
	const r = await getConfig();
	staff.demo = r.ok && r.data.demo === true;
}

export function markSignedIn(username: string): void {
	staff.status = 'signed-in';
	staff.username = username;
}

/** A 401 from any console call: the session expired or was ended elsewhere. */
export function markSignedOut(): void {
	staff.status = 'signed-out';
	staff.username = null;
}

export async function signOut(): Promise<void> {
	await endSession();
	markSignedOut();
}
