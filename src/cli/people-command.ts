/**
 * tongxing staff add USERNAME [--role ROLE] [--password-stdin]   (otherwise a random password is printed once)
 * tongxing staff role USERNAME ROLE                 (viewer | officer | approver | admin, core/staff-roles.ts)
 * tongxing staff disable USERNAME                   (its sessions end at once)
 * tongxing source add public-security|carrier|health   (prints the source's API key once)
 * tongxing source list | source revoke KEY-ID        (keys by id, never the key itself)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { toBase64Url } from '../lib/core/bytes.js';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { isUniqueViolation } from '../lib/server/store/errors.js';
import { addSourceKey, listSourceKeys, revokeSourceKey, SOURCES, type Source } from '../lib/server/sources/sources.js';
import { addStaff, disableStaff } from '../lib/server/staff/staff.js';
import { setStaffRole } from '../lib/server/store/staff.js';
import { isStaffRole, STAFF_ROLES, type StaffRole } from '../lib/core/staff-roles.js';
import { UsageError } from './usage-error.js';

export async function staffCommand(argv: string[], _dataDir: string, nowMs: number): Promise<number> {
	const [sub, username, ...rest] = argv;
	if (sub === 'disable') {
		if (!username || rest.length) throw new UsageError('usage: tongxing staff disable USERNAME');
		try {
			const ended = await disableStaff((await issuer()).db, username, nowMs);
			process.stdout.write(`staff user ${username} disabled; ${ended} session(s) ended\n`);
			return 0;
		} catch (e) {
			if (e instanceof RangeError) throw new UsageError(e.message);
			throw e;
		} finally {
			await closeDatabase();
		}
	}
	if (sub === 'role') {
		const [role, ...extra] = rest;
		if (!username || !isStaffRole(role) || extra.length)
			throw new UsageError(`usage: tongxing staff role USERNAME ${STAFF_ROLES.join('|')}`);
		try {
			if (!(await setStaffRole((await issuer()).db, username, role))) throw new UsageError(`no staff user ${username}`);
			process.stdout.write(`staff user ${username} is now ${role}\n`);
			return 0;
		} finally {
			await closeDatabase();
		}
	}
	const usage = `usage: tongxing staff add USERNAME [--role ${STAFF_ROLES.join('|')}] [--password-stdin]`;
	let role: StaffRole = 'officer';
	const flags = [...rest];
	const r = flags.indexOf('--role');
	if (r >= 0) {
		const value = flags[r + 1];
		if (!isStaffRole(value)) throw new UsageError(usage);
		role = value;
		flags.splice(r, 2);
	}
	if (sub !== 'add' || !username || flags.some((a) => a !== '--password-stdin')) throw new UsageError(usage);
	const fromStdin = flags.includes('--password-stdin');
	const password = fromStdin ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : toBase64Url(randomBytes(15));
	try {
		const deps = await issuer();
		await addStaff(deps.db, username, password, nowMs, role);
	} catch (e) {
		if (e instanceof RangeError) throw new UsageError(e.message);
		if (isUniqueViolation(e)) throw new UsageError(`staff user ${username} already exists`);
		throw e;
	} finally {
		await closeDatabase();
	}
	process.stdout.write(
		fromStdin ? `staff user ${username} (${role}) added\n` : `staff user ${username} (${role}) added; password (shown once): ${password}\n`
	);
	return 0;
}

export async function sourceCommand(argv: string[], _dataDir: string, nowMs: number): Promise<number> {
	const [sub, source, ...rest] = argv;
	if (sub === 'list' || sub === 'revoke') {
		if (sub === 'list' ? source !== undefined : !source || rest.length)
			throw new UsageError('usage: tongxing source list | source revoke KEY-ID');
		try {
			const db = (await issuer()).db;
			if (sub === 'revoke') {
				await revokeSourceKey(db, source!, nowMs);
				process.stdout.write(`source key ${source} revoked\n`);
			} else {
				for (const k of await listSourceKeys(db)) {
					const revoked = k.revoked_at === null ? '' : `  revoked ${new Date(k.revoked_at).toISOString()}`;
					process.stdout.write(`${k.id}  ${k.source}  ${new Date(k.created_at).toISOString()}${revoked}\n`);
				}
			}
			return 0;
		} catch (e) {
			if (e instanceof RangeError) throw new UsageError(e.message);
			throw e;
		} finally {
			await closeDatabase();
		}
	}
	if (sub !== 'add' || !SOURCES.includes(source as Source) || rest.length)
		throw new UsageError(`usage: tongxing source add ${SOURCES.join('|')}`);
	try {
		const deps = await issuer();
		const key = await addSourceKey(deps.db, deps.hmacKey, source as Source, nowMs);
		process.stdout.write(`${key}\n`);
	} finally {
		await closeDatabase();
	}
	return 0;
}
