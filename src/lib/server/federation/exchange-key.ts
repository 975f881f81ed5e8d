/**
 * The region's data-exchange key pair (signs its fact batches and its requests to the gateway), as agreed with
 * fed-trust: a StoredKey JSON at DATA_DIR/keys/exchange.json (mode 0600), created on first use. Its public half is
 * what the region certificate carries (fed-trust's onboarding ceremony).
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { newKey, type StoredKey } from '../keys/keystore.js';
import { syncDirOf, writeFileSynced } from '../durable-file.js';

export function loadOrCreateExchangeKey(dataDir: string): StoredKey {
	const dir = join(dataDir, 'keys');
	const path = join(dir, 'exchange.json');
	if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as StoredKey;
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const key = newKey();
	const tmp = `${path}.${process.pid}.tmp`;
	writeFileSynced(tmp, JSON.stringify(key, null, '\t') + '\n', { mode: 0o600, flag: 'w' });
	renameSync(tmp, path);
	syncDirOf(path);
	return key;
}
