/**
 * The server's secret keys, each shared by every instance behind a load balancer:
 * - the HMAC key: ID numbers, phones, one-time codes and session tokens are stored only as keyed hashes, so a
 *   leaked database does not reveal them (an unkeyed hash of an 18-digit ID number is brute-forced in minutes).
 *   TONGXING_HMAC_SECRET (base64url, 32+ bytes), or DATA_DIR/keys/hmac.key, created on first use.
 * - the phone key: AES-256-GCM for the one place the app must read a phone back (crypto/phone-seal.ts: sending a
 *   resident an SMS, showing a masked phone). TONGXING_PHONE_KEY (base64url, exactly 32 bytes), or
 *   DATA_DIR/keys/phone.key, created on first use. Back it up with the database: without it the stored phones
 *   cannot be read back (sign-in still works: it looks accounts up by HMAC).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { toBase64Url } from '../core/bytes.js';
import { parseHmacKey, parsePhoneKey } from './keys/check-key-files.js';
import { writeFileSynced, syncDirOf } from './durable-file.js';

const cache = new Map<string, Uint8Array>();

/**
 * A 32-byte key from `env[envName]`, else DATA_DIR/keys/`file` (created with 32 random bytes when missing).
 * `parse` validates the text and throws KeyFileError naming the file or setting.
 */
function secretKey(
	dataDir: string,
	env: NodeJS.ProcessEnv,
	envName: string,
	file: string,
	parse: (text: string, name: string) => Uint8Array
): Uint8Array {
	const fromEnv = env[envName];
	if (fromEnv !== undefined) return parse(fromEnv, envName);
	const path = join(dataDir, 'keys', file);
	let key = cache.get(path);
	if (key) return key;
	if (!existsSync(path)) {
		mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
		// Written whole to a temporary file, then hard-linked into place: link fails if another instance created
		// the key first (then we read theirs), and no reader ever sees a half-written (empty) key.
		const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
		writeFileSynced(tmp, toBase64Url(randomBytes(32)) + '\n', { mode: 0o600, flag: 'wx' });
		try {
			linkSync(tmp, path);
			syncDirOf(path);
		} catch (e) {
			if ((e as { code?: string }).code !== 'EEXIST') throw e;
		} finally {
			unlinkSync(tmp);
		}
	}
	key = parse(readFileSync(path, 'utf8'), path);
	cache.set(path, key);
	return key;
}

export function hmacKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Uint8Array {
	return secretKey(dataDir, env, 'TONGXING_HMAC_SECRET', 'hmac.key', parseHmacKey);
}

/** The AES-256-GCM key that seals stored phones (crypto/phone-seal.ts). */
export function phoneKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Uint8Array {
	return secretKey(dataDir, env, 'TONGXING_PHONE_KEY', 'phone.key', parsePhoneKey);
}

/** HMAC-SHA256 with a purpose label, so the same value hashes differently per use. */
export function keyedHash(key: Uint8Array, purpose: string, value: string): string {
	return toBase64Url(createHmac('sha256', key).update(purpose).update('\0').update(value).digest());
}
