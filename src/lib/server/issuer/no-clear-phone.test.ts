/**
 * "No phone in clear" as the disk sees it: after a resident requests a one-time code, signs in, opens a session,
 * and declares, the phone's digits appear nowhere in the SQLite file or its WAL — not in accounts, one-time
 * codes, rate-limit keys, declarations or sessions. The app still reads the phone back through its sealed copy.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { requestOtp, verifyOtp } from '../auth/otp.js';
import { createSession, RESIDENT_SESSION_MS } from '../auth/session.js';
import { accountForPhone, phoneOfAccount } from './accounts.js';
import { submitDeclaration } from './declare.js';

const PHONE = '13800138000';
let f: IssuerFixture;
beforeEach(async () => (f = await issuerFixture()));
afterEach(() => f.close());

/** Every byte of the database on disk: the main file and, with WAL, the log and its index. */
function databaseBytes(dir: string): Buffer {
	const files = readdirSync(dir).filter((n) => n.startsWith('tongxing.sqlite'));
	expect(files).toContain('tongxing.sqlite');
	return Buffer.concat(
		files
			.map((n) => join(dir, n))
			.filter(existsSync)
			.map((p) => readFileSync(p))
	);
}

describe('phones at rest', () => {
	it('a signed-in, declared resident leaves no clear phone in the SQLite file', async () => {
		const { challengeId } = await requestOtp(f.deps, { phone: PHONE, clientIp: '127.0.0.1', nowMs: f.clock.now });
		const phone = await verifyOtp(f.deps, { challengeId, phone: PHONE, code: f.lastCode(PHONE), nowMs: f.clock.now });
		const accountId = await accountForPhone(f.deps, phone, f.clock.now);
		await createSession(f.deps.db, f.deps.hmacKey, {
			role: 'resident',
			subject: accountId,
			accountId,
			nowMs: f.clock.now,
			ttlMs: RESIDENT_SESSION_MS
		});
		await submitDeclaration(
			f.deps,
			{ id: accountId },
			{
				name: '张伟',
				idType: 'resident',
				idNumber: '440305199003071236',
				phone: PHONE,
				region: '440305',
				addressDetail: '科技园南区 1 栋',
				temperature: 36.5,
				symptoms: ['none'],
				travel: []
			}
		);
		expect(await phoneOfAccount(f.deps, accountId)).toBe(PHONE);

		const bytes = databaseBytes(f.deps.dataDir);
		expect(bytes.length).toBeGreaterThan(0);
		for (const form of [PHONE, '+86' + PHONE, PHONE.slice(-8)]) {
			expect(bytes.includes(Buffer.from(form, 'utf8')), `“${form}” found in the database file`).toBe(false);
			expect(bytes.includes(Buffer.from(form, 'utf16le')), `“${form}” (UTF-16) found in the database file`).toBe(false);
		}
	});
});
