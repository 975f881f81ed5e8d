import type { Db } from '../lib/server/store/db.js';
import { staffExists } from '../lib/server/store/staff-for-seed.js';
import { addStaff } from '../lib/server/staff/staff.js';

/**
 * The demo console account, printed by `tongxing demo` and `tongxing seed` like the demo identities. Demo mode
 * only (seed-demo.ts, run by app.ts's first-start hook): demo mode already shows every one-time code at
 * /api/v1/dev/outbox, so a known password adds no new exposure there; production has no staff until
 * `tongxing staff add`. Roles (core/staff-roles.ts): demo.staff is `admin` (the demo shows every console page,
 * staff and keys included); demo.approver is `approver` (approves demo.staff's proposals, cannot manage people).
 */
export const DEMO_STAFF = { username: 'demo.staff', password: 'tongxing-demo-console', role: 'admin' } as const;
/** A second demo account: proposals need a second staff member to approve them (server/proposals/). */
export const DEMO_APPROVER = { username: 'demo.approver', password: 'tongxing-demo-approver', role: 'approver' } as const;

/** Creates the demo staff accounts unless they exist (checked first: hashing costs ~0.1 s of scrypt). */
export async function seedDemoStaff(db: Db, nowMs: number): Promise<void> {
	for (const account of [DEMO_STAFF, DEMO_APPROVER]) {
		if (await staffExists(db, account.username)) continue;
		try {
			await addStaff(db, account.username, account.password, nowMs, account.role);
		} catch (e) {
			// Two processes starting at once (server and CLI): the other one created it.
			if (!(await staffExists(db, account.username))) throw e;
		}
	}
}
