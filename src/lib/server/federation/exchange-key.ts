/**
 * The region's data-exchange key pair (shared interface with fed-facts): signs its fact batches; its public half
 * is in the region certificate the root signs. DATA_DIR/keys/exchange.json, a StoredKey, mode 0600, created on
 * first use.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newKey, type StoredKey } from '../keys/keystore.js';

export function loadOrCreateExchangeKey(dataDir: string): StoredKey {
	const dir = join(dataDir, 'keys');
	const path = join(dir, 'exchange.json');
	if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as StoredKey;
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const key = newKey();
	const tmp = `${path}.${process.pid}.tmp`;
	writeFileSync(tmp, JSON.stringify(key, null, '\t') + '\n', { mode: 0o600 });
	renameSync(tmp, path);
	return key;
}
