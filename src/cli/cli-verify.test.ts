/**
 * `tongxing issue` and `tongxing verify` as a user runs them: a real process, exit codes and one JSON line (the
 * verdict), codes from arguments or standard input, test vectors with their own documents, times in every zone form.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliDataDir, json } from './cli-data-dir.js';

const cli = cliDataDir();
const { tx } = cli;
const VECTORS = join(import.meta.dirname, '../../test-vectors');

describe('tongxing issue / verify', () => {
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
		const child = cli.start(['verify', '-']);
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
		writeFileSync(join(cli.path, 'tl.b64'), v.trustList);
		writeFileSync(join(cli.path, 'sl.b64'), v.statusList);
		const r = await tx([
			'verify',
			'--trust-list',
			join(cli.path, 'tl.b64'),
			'--status-list',
			join(cli.path, 'sl.b64'),
			'--root-key',
			v.rootPublicKey,
			'--at',
			v.now,
			v.qr
		]);
		expect([r.code, json(r.stdout).reason]).toEqual([1, 'revoked']);
	}, 30_000);

	it('verifies federation vectors with --trust-bundle: another region valid, a gateway-injected key refused', async () => {
		for (const [name, code, reason] of [
			['federation-valid-other-region', 0, 'ok'],
			['federation-gateway-injected-key', 1, 'unknown-issuer']
		] as const) {
			const v = JSON.parse(readFileSync(join(VECTORS, `${name}.json`), 'utf8')) as {
				qr: string;
				trustBundle: string;
				rootPublicKey: string;
				now: string;
			};
			writeFileSync(join(cli.path, 'tb.b64'), v.trustBundle);
			const r = await tx(['verify', '--trust-bundle', join(cli.path, 'tb.b64'), '--root-key', v.rootPublicKey, '--at', v.now, v.qr]);
			expect([name, r.code, json(r.stdout).reason]).toEqual([name, code, reason]);
		}
	}, 30_000);

	it('times in every ISO 8601 zone form: +0800 and +08 as well as +08:00 and Z', async () => {
		const { qr } = JSON.parse((await tx(['issue', '--name', '王五', '--id', '110101199003074514', '--kind', 'paper'])).stdout) as {
			qr: string;
		};
		const now = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19); // China local time
		for (const at of [`${now}+0800`, `${now}+08`, `${now}+08:00`, `${now.slice(0, 16)}+0800`]) {
			const r = await tx(['verify', '--at', at, qr]);
			expect([r.code, json(r.stdout).verdict], at).toEqual([0, 'valid']);
		}
		const noZone = await tx(['verify', '--at', now, qr]);
		expect([noZone.code, noZone.stderr]).toEqual([2, expect.stringContaining('needs a zone')]);
		// risk areas read the same forms (recolour/risk-areas.ts)
		const add = await tx([
			'risk-area',
			'add',
			'--name',
			'zone forms',
			'--level',
			'medium',
			'--polygon',
			'[[0,0],[0.001,0],[0.001,0.001]]',
			'--from',
			'2026-11-20T08:00+0800',
			'--until',
			'2026-11-21T08:00:00.000+08'
		]);
		expect(add.code, add.stderr).toBe(0);
		const id = /^risk area (\S+) added/.exec(add.stdout)![1]!;
		const list = await tx(['risk-area', 'list']);
		expect(list.stdout).toContain(`${id}  medium  inactive  2026-11-20T00:00:00.000Z → 2026-11-21T00:00:00.000Z  zone forms`);
	}, 60_000);

	it('garbage input is a verdict, not a crash', async () => {
		const r = await tx(['verify', 'not a code at all']);
		expect([r.code, json(r.stdout).reason]).toEqual([1, 'bad-format']);
	}, 30_000);
});
