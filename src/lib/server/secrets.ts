/**
 * The server's HMAC key: ID numbers, phones, one-time codes and session tokens are stored only as keyed
 * hashes, so a leaked database does not reveal them (an unkeyed hash of an 18-digit ID number is brute-forced
 * in minutes). Every instance behind a load balancer must share it: TONGXING_HMAC_SECRET (base64url, 32+ bytes),
 * or DATA_DIR/keys/hmac.key, created on first use.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toBase64Url } from '../core/bytes.js';
import { parseHmacKey } from './keys/check-key-files.js';

const cache = new Map<string, Uint8Array>();

export function hmacKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Uint8Array {
	const fromEnv = env.TONGXING_HMAC_SECRET;
	if (fromEnv !== undefined) return parseHmacKey(fromEnv, 'TONGXING_HMAC_SECRET');
	const path = join(dataDir, 'keys', 'hmac.key');
	let key = cache.get(path);
	if (key) return key;
	if (!existsSync(path)) {
		mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
		// Written whole to a temporary file, then hard-linked into place: link fails if another instance created
		// the key first (then we read theirs), and no reader ever sees a half-written (empty) key.
		const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
		writeFileSync(tmp, toBase64Url(randomBytes(32)) + '\n', { mode: 0o600, flag: 'wx' });
		try {
			linkSync(tmp, path);
		} catch (e) {
			if ((e as { code?: string }).code !== 'EEXIST') throw e;
		} finally {
			unlinkSync(tmp);
		}
	}
	key = parseHmacKey(readFileSync(path, 'utf8'), path);
	cache.set(path, key);
	return key;
}

/** HMAC-SHA256 with a purpose label, so the same value hashes differently per use. */
export function keyedHash(key: Uint8Array, purpose: string, value: string): string {
	return toBase64Url(createHmac('sha256', key).update(purpose).update('\0').update(value).digest());
}
