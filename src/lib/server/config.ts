import { resolve } from 'node:path';

/** Where keys, lists and (later) the database live. `DATA_DIR` overrides; default ./data. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
	return resolve(env.DATA_DIR ?? './data');
}
