/**
 * The offline root key ceremony as operators run it (keys/offline-root.ts, docs/issuance.md): real CLI processes,
 * an "offline" folder and a "server" DATA_DIR in temp dirs. The root private key never enters the server's
 * DATA_DIR; the server installs only a list that verifies against the pinned root and covers its own keys; a list
 * signed by another root, an older list and a list that leaves out the server's key are refused.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrustList } from '../lib/core/trust-list.js';
import { fromBase64Url } from '../lib/core/bytes.js';
import { createNodeBackend } from '../lib/server/crypto/node-ed25519.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/tongxing.js');
let tmp: string;

async function tx(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
			env: { ...process.env, DATA_DIR: dataDir, TONGXING_MODE: 'production' }
		});
		return { code: 0, stdout, stderr };
	} catch (e) {
		const err = e as { code: number; stdout: string; stderr: string };
		return { code: err.code, stdout: err.stdout, stderr: err.stderr };
	}
}

beforeAll(() => {
	tmp = mkdtempSync(join(tmpdir(), 'tx-ceremony-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const p = (...parts: string[]) => join(tmp, ...parts);
const offlineRoot = (name: string) => p(name);
const rootPub = (dir: string) => fromBase64Url(readFileSync(join(dir, 'root-public-key.txt'), 'utf8').trim())!;

describe('tongxing keys: the offline root ceremony', () => {
	it('root offline → request on the server → signed offline → installed on the server; the root private key never reaches DATA_DIR', async () => {
		const root = offlineRoot('root');
		const server = p('server');
		const init = await tx(p('unused'), ['keys', 'init', '--root-only', '--out', root]);
		expect(init.code, init.stderr).toBe(0);
		expect(statSync(join(root, 'root.json')).mode & 0o777).toBe(0o600);
		expect((await tx(p('unused'), ['keys', 'init', '--root-only', '--out', root])).code).toBe(1); // never overwritten

		const req = await tx(server, ['keys', 'request', '--region', '440300', '--out', p('req-1.json')]);
		expect(req.code, req.stderr).toBe(0);
		expect(req.stdout).toMatch(/new issuer key [0-9a-f]{16} for 440300/);
		const request = JSON.parse(readFileSync(p('req-1.json'), 'utf8')) as { keys: { kid: string; publicKey: string }[] };
		expect(request.keys).toHaveLength(1);
		expect(JSON.stringify(request)).not.toContain('seed'); // public halves only

		const signed = await tx(p('unused'), [
			'keys',
			'sign-trust-list',
			'--root',
			root,
			'--request',
			p('req-1.json'),
			'--out',
			p('list-1.cose')
		]);
		expect(signed.code, signed.stderr).toBe(0);
		expect(signed.stdout).toContain('trust list v1 with 1 issuer key(s) (440300)');

		// first install: the root public key is passed once and pinned
		expect((await tx(server, ['keys', 'install-trust-list', p('list-1.cose')])).stderr).toMatch(/no pinned root public key/);
		const inst = await tx(server, ['keys', 'install-trust-list', p('list-1.cose'), '--root-public-key', join(root, 'root-public-key.txt')]);
		expect(inst.code, inst.stderr).toBe(0);
		expect(inst.stdout).toContain('trust list v1 installed; root public key pinned');
		expect(readdirSync(join(server, 'keys')).filter((f) => f.startsWith('root'))).toEqual([]);
		const installed = await openTrustList(new Uint8Array(readFileSync(join(server, 'public', 'trust-list.cose'))), {
			rootPublicKey: rootPub(root),
			backend: createNodeBackend()
		});
		expect(installed.ok && installed.list.keys.map((k) => k.kid)).toEqual(request.keys.map((k) => k.kid));
		// the same list again is not newer: refused
		expect((await tx(server, ['keys', 'install-trust-list', p('list-1.cose')])).stderr).toMatch(/version 1 is older than 2/);

		// rotation in production: key files change here, the list is signed offline, then installed
		const rotate = await tx(server, ['keys', 'rotate', '--delay-hours', '24']);
		expect(rotate.code, rotate.stderr).toBe(0);
		expect(rotate.stdout).toContain('the root key is offline');
		expect(existsSync(join(server, 'keys', 'root.json'))).toBe(false);
		// the installed list does not name the next key yet (production-keys.test.ts: the server would not start)
		expect((await tx(server, ['keys', 'request', '--out', p('req-2.json')])).code).toBe(0);
		expect(
			(await tx(p('unused'), ['keys', 'sign-trust-list', '--root', root, '--request', p('req-2.json'), '--out', p('list-2.cose')])).code
		).toBe(0);
		const inst2 = await tx(server, ['keys', 'install-trust-list', p('list-2.cose')]);
		expect(inst2.code, inst2.stderr).toBe(0);
		expect(inst2.stdout).toContain('trust list v2 installed');

		// compromise in production: codes are revoked and re-issued at once on the server (the CLI runs without the
		// new list), and the list saying "compromised" is signed offline and installed next
		const kid = request.keys[0]!.kid;
		const comp = await tx(server, ['keys', 'compromise', kid]);
		expect(comp.code, comp.stderr).toBe(0);
		expect(comp.stdout).toMatch(/marked compromised; NOW the root key is offline/);
		expect(comp.stdout).toMatch(/revoked \d+ live codes/);
		expect((await tx(server, ['keys', 'request', '--out', p('req-3.json')])).code).toBe(0);
		expect(
			(await tx(p('unused'), ['keys', 'sign-trust-list', '--root', root, '--request', p('req-3.json'), '--out', p('list-3.cose')])).code
		).toBe(0);
		// the old list (v2) still says "active" for that key: refused as a rollback anyway; v3 installs
		expect((await tx(server, ['keys', 'install-trust-list', p('list-2.cose')])).code).toBe(1);
		expect((await tx(server, ['keys', 'install-trust-list', p('list-3.cose')])).stdout).toContain('trust list v3 installed');
	}, 120_000);

	it('refuses a list signed by another root, and a list that leaves out the server’s own key', async () => {
		const root = offlineRoot('root-a');
		const other = offlineRoot('root-b');
		const server = p('server-b');
		expect((await tx(p('unused'), ['keys', 'init', '--root-only', '--out', root])).code).toBe(0);
		expect((await tx(p('unused'), ['keys', 'init', '--root-only', '--out', other])).code).toBe(0);
		expect((await tx(server, ['keys', 'request', '--out', p('b-req.json')])).code).toBe(0);
		expect(
			(await tx(p('unused'), ['keys', 'sign-trust-list', '--root', root, '--request', p('b-req.json'), '--out', p('b-good.cose')])).code
		).toBe(0);
		expect(
			(await tx(p('unused'), ['keys', 'sign-trust-list', '--root', other, '--request', p('b-req.json'), '--out', p('b-evil.cose')])).code
		).toBe(0);
		const pin = ['--root-public-key', join(root, 'root-public-key.txt')];
		const evil = await tx(server, ['keys', 'install-trust-list', p('b-evil.cose'), ...pin]);
		expect(evil.code).toBe(1);
		expect(evil.stderr).toMatch(/refused: signed by a key other than the pinned root/);
		expect(existsSync(join(server, 'public', 'trust-list.cose'))).toBe(false);
		expect(existsSync(join(server, 'public', 'root-public-key.txt'))).toBe(false);

		// another region's request alone, signed by the right root: it does not name this server's key
		expect((await tx(p('server-c'), ['keys', 'request', '--region', '110000', '--out', p('c-req.json')])).code).toBe(0);
		expect(
			(await tx(p('unused'), ['keys', 'sign-trust-list', '--root', root, '--request', p('c-req.json'), '--out', p('c.cose')])).code
		).toBe(0);
		const wrong = await tx(server, ['keys', 'install-trust-list', p('c.cose'), ...pin]);
		expect(wrong.code).toBe(1);
		expect(wrong.stderr).toMatch(/refused: issuer key [0-9a-f]{16} \(440300, active\) is not in the list/);

		// several regional issuers under one national root: one list carries both (issue 14), installs on each
		const both = await tx(p('unused'), [
			'keys',
			'sign-trust-list',
			'--root',
			root,
			'--request',
			p('b-req.json'),
			'--request',
			p('c-req.json'),
			'--out',
			p('bc.cose')
		]);
		expect(both.code, both.stderr).toBe(0);
		expect(both.stdout).toMatch(/2 issuer key\(s\) \((110000, 440300|440300, 110000)\)/);
		expect((await tx(server, ['keys', 'install-trust-list', p('bc.cose'), ...pin])).code).toBe(0);
		expect((await tx(p('server-c'), ['keys', 'install-trust-list', p('bc.cose'), ...pin])).code).toBe(0);
	}, 120_000);
});
