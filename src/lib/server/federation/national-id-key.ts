/**
 * The national routing key (32 random bytes, the same in every region; created by the root ceremony and copied
 * to each region as DATA_DIR/keys/national-id.key, 64 hex characters and a newline, mode 0600). It keys the
 * routing hash of an ID number (core/federation/routing-hash.ts). Absent file: this region is not federated.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '../../core/bytes.js';
import { StartupError } from '../startup-error.js';

export const NATIONAL_ID_KEY_FILE = 'national-id.key';

export function nationalIdKeyPath(dataDir: string): string {
	return join(dataDir, 'keys', NATIONAL_ID_KEY_FILE);
}

/** The key, or null when the file is absent. A malformed or group/world-readable file refuses the start. */
export function loadNationalIdKey(dataDir: string): Uint8Array | null {
	const path = nationalIdKeyPath(dataDir);
	if (!existsSync(path)) return null;
	if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0)
		throw new StartupError(`${path} must be readable by its owner only (chmod 600)`);
	const text = readFileSync(path, 'utf8').trim();
	const key = /^[0-9a-f]{64}$/i.test(text) ? fromHex(text.toLowerCase()) : null;
	if (!key) throw new StartupError(`${path} must hold 64 hex characters (the national routing key)`);
	return key;
}
