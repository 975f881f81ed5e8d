/**
 * The CLI as a user runs it: a real process, a real data directory, exit codes and one JSON line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEnrolment } from '../lib/core/contract/enrolment.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/tongxing.js');
const VECTORS = join(import.meta.dirname, '../../test-vectors');
let dataDir: string;

const json = (text: string) => JSON.parse(text) as { verdict: string; reason: string };

async function tx(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
	const child = run(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: dataDir } });
	if (input !== undefined) {
		child.child.stdin!.end(input);
	}
	try {
		const { stdout, stderr } = await child;
		return { code: 0, stdout, stderr };
	} catch (e) {
		const err = e as { code: number; stdout: string; stderr: string };
		return { code: err.code, stdout: err.stdout, stderr: err.stderr };
	}
}

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'tongxing-cli-'));
	const init = await tx(['keys', 'init', '--region', '440300']);
	expect(init.code).toBe(0);
}, 60_000);

describe('tongxing CLI', () => {
	it('keys init refuses to overwrite, --if-missing is quiet', async () => {
		expect((await tx(['keys', 'init'])).code).toBe(1);
		expect((await tx(['keys', 'init', '--if-missing'])).code).toBe(0);
	}, 30_000);

	it('issue → verify: valid (exit 0), then expired at a later time (exit 1), then revoked', async () => {
		const issued = await tx([
			'issue',
			'--name',
			'张三丰',
			'--id',
			'44030119900101123X',
			'--colour',
			'yellow',
			'--reason',
			'fever-declared'
		]);
		expect(issued.code).toBe(0);
		const { qr, codeId } = JSON.parse(issued.stdout) as { qr: string; codeId: string };
		const ok = await tx(['verify', qr]);
		expect(ok.code).toBe(0);
		const out = JSON.parse(ok.stdout) as { verdict: string; reason: string; claims: { colour: string; maskedName: string } };
		expect(out).toMatchObject({ verdict: 'valid', reason: 'ok', claims: { colour: 'yellow', maskedName: '张*丰' } });
		expect(ok.stdout).not.toMatch(/44030119900101/); // no full ID number anywhere
		const later = await tx(['verify', '--at', new Date(Date.now() + 2 * 86400_000).toISOString(), qr]);
		expect([later.code, json(later.stdout).reason]).toEqual([1, 'expired']);
		expect((await tx(['status-list', 'publish', '--revoke', codeId])).code).toBe(0);
		// one code id in 64 starts with '-' (base64url): still a value, not an option
		expect((await tx(['status-list', 'publish', '--revoke', '-D5DwribTOVadwsW'])).code).toBe(0);
		// A live proof from seconds ago is still inside the skew window.
		const revoked = await tx(['verify', qr]);
		expect([revoked.code, json(revoked.stdout).reason]).toEqual([1, 'revoked']);
	}, 60_000);

	it('reads the code from stdin with -', async () => {
		const { qr } = JSON.parse((await tx(['issue', '--name', '李四', '--id', '110101199003074514', '--kind', 'paper'])).stdout) as {
			qr: string;
		};
		const r = await tx(['verify', '-'], qr + '\n');
		expect([r.code, json(r.stdout).verdict]).toEqual([0, 'valid']);
	}, 30_000);

	it('verify - stops reading standard input at the length cap: an endless stream gets bad-format, not a hang', async () => {
		const child = run(process.execPath, [BIN, 'verify', '-'], { env: { ...process.env, DATA_DIR: dataDir } });
		// 4 MB and the pipe left open: a reader that waits for the end would never answer. The command exits
		// while this is still being written, so the write ends in EPIPE: expected, it stopped reading.
		const writeErrors: string[] = [];
		child.child.stdin!.on('error', (e: NodeJS.ErrnoException) => writeErrors.push(e.code ?? 'error'));
		child.child.stdin!.write('A'.repeat(4 * 1024 * 1024));
		const r = await child.then(
			(ok) => ({ code: 0, stdout: ok.stdout }),
			(e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout })
		);
		child.child.stdin!.destroy();
		expect([r.code, json(r.stdout).verdict, json(r.stdout).reason]).toEqual([1, 'invalid', 'bad-format']);
		expect(writeErrors.every((c) => c === 'EPIPE')).toBe(true);
	}, 30_000);

	it('verifies a test vector with its own documents', async () => {
		const v = JSON.parse(readFileSync(join(VECTORS, 'revoked.json'), 'utf8')) as {
			qr: string;
			trustList: string;
			statusList: string;
			rootPublicKey: string;
			now: string;
		};
		writeFileSync(join(dataDir, 'tl.b64'), v.trustList);
		writeFileSync(join(dataDir, 'sl.b64'), v.statusList);
		const r = await tx([
			'verify',
			'--trust-list',
			join(dataDir, 'tl.b64'),
			'--status-list',
			join(dataDir, 'sl.b64'),
			'--root-key',
			v.rootPublicKey,
			'--at',
			v.now,
			v.qr
		]);
		expect([r.code, json(r.stdout).reason]).toEqual([1, 'revoked']);
	}, 30_000);

	it('guard enrol prints a TXE1 enrolment code the scanner accepts, with the pinned root key (demo venues seeded)', async () => {
		const out = await tx(['guard', 'enrol', 'demo-hospital']);
		expect(out.code).toBe(0);
		const printed = JSON.parse(out.stdout) as { code: string; token: string; rootPublicKey: string };
		const parsed = parseEnrolment(printed.code);
		expect(parsed).toMatchObject({
			ok: true,
			enrolment: { token: printed.token, venue: { id: 'demo-hospital', policy: 'green-negative-48h', region: '440304' } }
		});
		expect(printed.rootPublicKey).toBe(readFileSync(join(dataDir, 'public', 'root-public-key.txt'), 'utf8').trim());
		expect(parsed.ok && parsed.enrolment.rootPublicKey).toBe(printed.rootPublicKey);
		expect(parseEnrolment(printed.code.slice(0, -4))).toMatchObject({ ok: false });
		expect((await tx(['guard', 'enrol', 'no-such-venue'])).code).toBe(2);
	}, 30_000);

	it('usage errors exit 2 with one line and no stack trace', async () => {
		for (const args of [
			['verify'],
			['verify', '--at', 'yesterday', 'TX1:'],
			['verify', '--nope', 'x'],
			['frobnicate'],
			['issue', '--name', 'x']
		]) {
			const r = await tx(args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.stderr).not.toMatch(/\n\s+at /);
		}
	}, 60_000);

	it('recolour --due re-evaluates the residents whose review time has come, once', async () => {
		expect((await tx(['seed', '--residents', '10'])).code).toBe(0);
		const file = new Database(join(dataDir, 'tongxing.sqlite'));
		const n = file.prepare('update resident_colours set review_at = 1').run().changes;
		file.close();
		expect(n).toBeGreaterThan(0);
		const first = await tx(['recolour', '--due', '--batch', '3']);
		expect([first.code, first.stdout]).toEqual([
			0,
			expect.stringMatching(new RegExp(`^${n} residents due for review; \\d+ changed colour.*, \\d+ got new codes, in \\d+ ms\n$`))
		]);
		const second = await tx(['recolour', '--due']);
		expect([second.code, second.stdout]).toEqual([0, expect.stringMatching(/^0 residents due for review; 0 changed colour/)]);
		for (const args of [['recolour'], ['recolour', '--due', '--batch', '0'], ['recolour', '--due', 'x']])
			expect((await tx(args)).code, args.join(' ')).toBe(2);
	}, 120_000);

	it('garbage input is a verdict, not a crash', async () => {
		const r = await tx(['verify', 'not a code at all']);
		expect([r.code, json(r.stdout).reason]).toEqual([1, 'bad-format']);
	}, 30_000);
});
