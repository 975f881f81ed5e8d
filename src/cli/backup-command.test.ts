/**
 * `tongxing backup` and `tongxing restore` as an operator runs them: real processes, exit codes, one-line errors
 * (no stack trace), the passphrase from standard input or the environment, and a refused tampered copy.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/tongxing.js');
const PASS = 'a long enough passphrase';
let work: string;
let dataDir: string;

function tx(
	args: string[],
	opts: { dataDir: string; input?: string; env?: Record<string, string> }
): Promise<{ code: number; stdout: string; stderr: string }> {
	const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: opts.dataDir, TONGXING_MODE: 'demo', ...opts.env };
	delete env.DATABASE_URL;
	if (!opts.env?.TONGXING_BACKUP_PASSPHRASE) delete env.TONGXING_BACKUP_PASSPHRASE;
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [BIN, ...args], { env });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
		child.stdin.end(opts.input ?? '');
	});
}

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), 'tongxing-cli-backup-'));
	dataDir = join(work, 'data');
	// a data directory with keys, lists and a database (the demo's: keys init + a venue)
	expect((await tx(['keys', 'init'], { dataDir })).code).toBe(0);
	expect((await tx(['venue', 'add', '--name', '图书馆'], { dataDir })).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tongxing backup / restore', () => {
	it('backs up with the passphrase on stdin, restores with it from the environment, and says the manifest matches', async () => {
		const noPass = await tx(['backup', join(work, 'b0')], { dataDir });
		expect([noPass.code, noPass.stderr.trim().split('\n').length]).toEqual([1, 1]);
		expect(noPass.stderr).toMatch(/^tongxing backup: failed: the key archive needs a passphrase/);

		const b = await tx(['backup', join(work, 'b1'), '--passphrase-stdin'], { dataDir, input: `${PASS}\n` });
		expect(b.stderr).toBe('');
		expect(b.code).toBe(0);
		expect(b.stdout).toMatch(/^backup: sqlite database tongxing\.sqlite, [\d.]+ MB in \d+ ms/);
		expect(b.stdout).toMatch(/keys: \d+ files encrypted in keys\.txkeys/);

		const fresh = join(work, 'fresh');
		const wrong = await tx(['restore', join(work, 'b1')], { dataDir: fresh, env: { TONGXING_BACKUP_PASSPHRASE: 'not the right one' } });
		expect(wrong.code).toBe(1);
		expect(wrong.stderr).toMatch(/wrong passphrase, or the key archive is damaged\n$/);
		expect(existsSync(join(fresh, 'tongxing.sqlite'))).toBe(false);

		const r = await tx(['restore', join(work, 'b1')], { dataDir: fresh, env: { TONGXING_BACKUP_PASSPHRASE: PASS } });
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/rows \(all tables\)\s+(\d+)\s+\1\n/);
		expect(r.stdout).toMatch(/every table count, scan chain, status list and audit digest matches the backup\n$/);
		expect(readFileSync(join(fresh, 'keys', 'hmac.key'))).toEqual(readFileSync(join(dataDir, 'keys', 'hmac.key')));

		// a copy changed after the backup is refused before anything is written
		appendFileSync(join(work, 'b1', 'tongxing.sqlite'), 'x');
		const tampered = await tx(['restore', join(work, 'b1')], { dataDir: join(work, 'fresh2'), env: { TONGXING_BACKUP_PASSPHRASE: PASS } });
		expect(tampered.code).toBe(1);
		expect(tampered.stderr).toMatch(/is not the file the backup wrote \(SHA-256 differs\)\n$/);
		expect(existsSync(join(work, 'fresh2', 'tongxing.sqlite'))).toBe(false);
	}, 120_000);

	it('a usage error is exit 2 and points to --help', async () => {
		const r = await tx(['backup'], { dataDir });
		expect(r.code).toBe(2);
		const u = await tx(['restore', 'x', '--frob'], { dataDir });
		expect([u.code, u.stderr]).toEqual([2, 'tongxing restore: unknown option --frob; see tongxing restore --help\n']);
	}, 60_000);
});
