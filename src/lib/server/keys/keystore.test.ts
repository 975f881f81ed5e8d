/**
 * KeyStore caches the issuer keys; a rotation or compromise made by ANOTHER process (`tongxing keys rotate`
 * while the server runs) must still be seen: at once through the directory stat, and within
 * KEY_CACHE_MAX_AGE_MS for changes the stat can't see (a key file edited in place).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_CACHE_MAX_AGE_MS, KeyStore, signerFor } from './keystore.js';
import { initKeys } from './published.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const run = promisify(execFile);
let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tongxing-keystore-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const nowSec = () => Math.floor(Date.now() / 1000);

describe('KeyStore cache', () => {
	it('serves repeated calls from the cache (same frozen objects, same signer)', async () => {
		const keys = new KeyStore(dir);
		await initKeys(keys, dir, { region: '440300', validDays: 30, nowSec: nowSec() - 60 });
		const a = keys.activeIssuer('440300', nowSec())!;
		expect(keys.activeIssuer('440300', nowSec())).toBe(a);
		expect(Object.isFrozen(a)).toBe(true);
		expect(signerFor(a)).toBe(signerFor(a));
	});

	it('sees `tongxing keys rotate` and `keys compromise` run in another process at once', async () => {
		const keys = new KeyStore(dir);
		await initKeys(keys, dir, { region: '440300', validDays: 30, nowSec: nowSec() - 60 });
		const old = keys.activeIssuer('440300', nowSec())!;
		expect(old).toBeDefined();
		const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, TONGXING_MODE: 'demo' };
		delete env.DATABASE_URL;
		await run(process.execPath, ['bin/tongxing.js', 'keys', 'rotate', '--region', '440300', '--delay-hours', '0'], { cwd: ROOT, env });
		const next = keys.activeIssuer('440300', nowSec() + 1);
		expect(next?.kid).toBeDefined();
		expect(next!.kid).not.toBe(old.kid);
		expect(keys.issuers().find((k) => k.kid === old.kid)!.notAfter).toBeLessThanOrEqual(nowSec() + 1);

		await run(process.execPath, ['bin/tongxing.js', 'keys', 'compromise', next!.kid], { cwd: ROOT, env });
		expect(keys.issuers().find((k) => k.kid === next!.kid)!.status).toBe('compromised');
		expect(keys.activeIssuer('440300', nowSec() + 1)?.kid).not.toBe(next!.kid);
	}, 60_000);

	it('sees a key file edited in place within KEY_CACHE_MAX_AGE_MS', async () => {
		let clock = 0;
		const keys = new KeyStore(dir, { now: () => clock });
		await initKeys(keys, dir, { region: '440300', validDays: 30, nowSec: nowSec() - 60 });
		const k = keys.activeIssuer('440300', nowSec())!;
		// An in-place write (no rename): the directory does not change.
		const file = join(dir, 'keys', `issuer-${k.kid}.json`);
		writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), status: 'compromised' }));
		clock += KEY_CACHE_MAX_AGE_MS - 1;
		expect(keys.activeIssuer('440300', nowSec())?.kid).toBe(k.kid); // still cached
		clock += 1;
		expect(keys.activeIssuer('440300', nowSec())).toBeUndefined();
	});

	it('a write through another KeyStore instance is seen at once', async () => {
		const keys = new KeyStore(dir, { now: () => 0 }); // the clock never moves: only the directory stat can tell
		await initKeys(keys, dir, { region: '440300', validDays: 30, nowSec: nowSec() - 60 });
		const k = keys.activeIssuer('440300', nowSec())!;
		new KeyStore(dir).writeIssuer({ ...k, status: 'retired' });
		expect(keys.activeIssuer('440300', nowSec())).toBeUndefined();
	});
});
