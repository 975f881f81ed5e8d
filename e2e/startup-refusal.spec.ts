/**
 * The built server (`node build`) refuses to start with a key file it cannot use: one line naming the file and
 * what is wrong, exit code 1, no stack trace (src/lib/server/keys/check-key-files.ts, hooks.server.ts init).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../bench/free-port.js';

interface Exit {
	code: number | null;
	output: string;
}

/** Starts `node build` on a free port with DATA_DIR; resolves when the process exits (or fails after 30 s). */
async function start(dataDir: string, env: Record<string, string> = {}): Promise<Exit> {
	const port = await freePort();
	const child = spawn(process.execPath, ['build'], {
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, TONGXING_MODE: 'demo', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (b: Buffer) => (output += b.toString()));
	child.stderr.on('data', (b: Buffer) => (output += b.toString()));
	const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
	const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
	clearTimeout(timer);
	return { code, output };
}

let dir: string;
test.beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tx-refusal-'));
	mkdirSync(join(dir, 'keys'), { recursive: true });
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('an empty hmac.key stops the start with a clear line naming the file', async () => {
	writeFileSync(join(dir, 'keys', 'hmac.key'), '');
	const exit = await start(dir);
	expect(exit.code).toBe(1);
	expect(exit.output).toContain(`Tongxing cannot start: ${join(dir, 'keys', 'hmac.key')}: empty`);
	expect(exit.output).not.toMatch(/^\s+at /m);
});

test('a phone.key that is not a 32-byte AES key stops the start, naming the file', async () => {
	writeFileSync(join(dir, 'keys', 'phone.key'), Buffer.from(new Uint8Array(16)).toString('base64url'));
	const exit = await start(dir);
	expect(exit.code).toBe(1);
	expect(exit.output).toContain(`Tongxing cannot start: ${join(dir, 'keys', 'phone.key')}: 16 bytes; an AES-256 key is exactly 32`);
	expect(exit.output).not.toMatch(/^\s+at /m);
});

test('an issuer key whose seed does not match its public key stops the start', async () => {
	// First a good start creates the demo keys; then one issuer file gets another key's seed.
	const good = join(dir, 'good');
	const { execFileSync } = await import('node:child_process');
	execFileSync(process.execPath, ['bin/tongxing.js', 'keys', 'init', '--if-missing'], { env: { ...process.env, DATA_DIR: good } });
	const keysDir = join(good, 'keys');
	const files = readdirSync(keysDir).filter((f) => /^issuer-[0-9a-f]{16}\.json$/.test(f));
	expect(files.length).toBeGreaterThan(0);
	const path = join(keysDir, files[0]!);
	const root = JSON.parse(readFileSync(join(keysDir, 'root.json'), 'utf8')) as { seed: string };
	const key = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
	writeFileSync(path, JSON.stringify({ ...key, seed: root.seed }));
	const exit = await start(good);
	expect(exit.code).toBe(1);
	expect(exit.output).toContain(`Tongxing cannot start: ${path}: the seed does not match publicKey`);
	expect(exit.output).not.toMatch(/^\s+at /m);
});

/** The production key ceremony in temp dirs (keys/offline-root.ts): root offline, signed list installed in `dataDir`. */
async function productionKeys(dataDir: string): Promise<string> {
	const { execFileSync } = await import('node:child_process');
	const cli = (args: string[]) =>
		execFileSync(process.execPath, ['bin/tongxing.js', ...args], { env: { ...process.env, DATA_DIR: dataDir } });
	const offline = join(dataDir, '..', `offline-root-${Date.now()}`);
	cli(['keys', 'init', '--root-only', '--out', offline]);
	cli(['keys', 'request', '--out', join(offline, 'request.json')]);
	cli(['keys', 'sign-trust-list', '--root', offline, '--request', join(offline, 'request.json'), '--out', join(offline, 'list.cose')]);
	cli(['keys', 'install-trust-list', join(offline, 'list.cose'), '--root-public-key', join(offline, 'root-public-key.txt')]);
	return offline;
}

test('production mode without an SMS sender does not start (it would log every one-time code)', async () => {
	const offline = await productionKeys(dir);
	try {
		const exit = await start(dir, { TONGXING_MODE: 'production' });
		expect(exit.code).toBe(1);
		expect(exit.output).toContain('Tongxing cannot start: TONGXING_MODE=production needs an SMS sender: set TONGXING_SMS_WEBHOOK_URL');
		expect(exit.output).not.toMatch(/^\s+at /m);
	} finally {
		rmSync(offline, { recursive: true, force: true });
	}
});

test('production mode refuses a root private key on the server, and a missing signed trust list', async () => {
	const sms = { TONGXING_MODE: 'production', TONGXING_SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms' };
	// `keys init` (the demo's one-machine setup) puts the root private key in DATA_DIR/keys
	const { execFileSync } = await import('node:child_process');
	execFileSync(process.execPath, ['bin/tongxing.js', 'keys', 'init', '--if-missing'], { env: { ...process.env, DATA_DIR: dir } });
	const withRoot = await start(dir, sms);
	expect(withRoot.code).toBe(1);
	expect(withRoot.output).toContain(`Tongxing cannot start: ${join(dir, 'keys', 'root.json')}: a root PRIVATE key is on the online server`);
	expect(withRoot.output).not.toMatch(/^\s+at /m);

	const clean = join(dir, 'clean');
	const offline = await productionKeys(clean);
	try {
		rmSync(join(clean, 'public', 'trust-list.cose'));
		const noList = await start(clean, sms);
		expect(noList.code).toBe(1);
		expect(noList.output).toContain(`Tongxing cannot start: ${join(clean, 'public', 'trust-list.cose')}: no signed trust list`);
	} finally {
		rmSync(offline, { recursive: true, force: true });
	}
});
