/**
 * tongxing staff add USERNAME [--password-stdin]   (otherwise a random password is generated and printed once)
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
	if (sub !== 'add' || !username || rest.some((a) => a !== '--password-stdin'))
		throw new UsageError('usage: tongxing staff add USERNAME [--password-stdin]');
	const fromStdin = rest.includes('--password-stdin');
	const password = fromStdin ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : toBase64Url(randomBytes(15));
	try {
		const deps = await issuer();
		await addStaff(deps.db, username, password, nowMs);
	} catch (e) {
		if (e instanceof RangeError) throw new UsageError(e.message);
		if (isUniqueViolation(e)) throw new UsageError(`staff user ${username} already exists`);
		throw e;
	} finally {
		await closeDatabase();
	}
	process.stdout.write(fromStdin ? `staff user ${username} added\n` : `staff user ${username} added; password (shown once): ${password}\n`);
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
