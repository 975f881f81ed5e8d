/**
 * Staff roles (issue 15, "People and devices"): each role may do everything the ones before it may.
 * - viewer: reads the console (GET / HEAD);
 * - officer: also acts (imports, risk areas, rules, overrides, appeals… — proposals above the threshold still
 *   wait for a second person);
 * - approver: also approves or rejects other staff members' proposals;
 * - admin: also manages staff, guard devices, data-source keys, venues and the issuer keys.
 * Pure: the server's guard (server/http/guard.ts) enforces them, the console hides what a role may not do.
 */
export const STAFF_ROLES = ['viewer', 'officer', 'approver', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(x: unknown): x is StaffRole {
	return typeof x === 'string' && (STAFF_ROLES as readonly string[]).includes(x);
}

/** Whether a member with role `have` may do what needs `need`. */
export function roleAtLeast(have: StaffRole, need: StaffRole): boolean {
	return STAFF_ROLES.indexOf(have) >= STAFF_ROLES.indexOf(need);
}

/**
 * The role a console request needs unless its route asks for more: reading needs a viewer, anything that may
 * change something (every other method) an officer. This is the default for every staff route, so a new route
 * is covered without saying anything.
 */
export function roleForMethod(method: string): StaffRole {
	const m = method.toUpperCase();
	return m === 'GET' || m === 'HEAD' || m === 'OPTIONS' ? 'viewer' : 'officer';
}
