/**
 * `tongxing staff add --role` and `tongxing staff role`: the role is stored; a bad role is a usage error.
 */
import { describe, expect, it } from 'vitest';
import { cliDataDir } from './cli-data-dir.js';

const cli = cliDataDir();
const { tx } = cli;

describe('tongxing staff', () => {
	it('staff add --role and staff role: the role is stored (officer unless said); a bad role is a usage error', async () => {
		expect((await tx(['staff', 'add', 'role.admin', '--role', 'admin', '--password-stdin'], 'correct horse battery\n')).stdout).toBe(
			'staff user role.admin (admin) added\n'
		);
		expect((await tx(['staff', 'add', 'role.plain', '--password-stdin'], 'correct horse battery\n')).stdout).toBe(
			'staff user role.plain (officer) added\n'
		);
		expect((await tx(['staff', 'role', 'role.plain', 'approver'])).stdout).toBe('staff user role.plain is now approver\n');
		for (const args of [
			['staff', 'add', 'role.bad', '--role', 'root', '--password-stdin'],
			['staff', 'role', 'role.plain', 'root'],
			['staff', 'role', 'nobody.here', 'viewer']
		]) {
			const r = await tx(args, 'correct horse battery\n');
			expect([r.code, r.stderr.split('\n').length], args.join(' ')).toEqual([2, 2]);
		}
		const db = cli.sqlite({ readonly: true });
		expect(db.prepare("select username, role from staff where username like 'role.%' order by username").all()).toEqual([
			{ username: 'role.admin', role: 'admin' },
			{ username: 'role.plain', role: 'approver' }
		]);
		db.close();
	}, 120_000);
});
