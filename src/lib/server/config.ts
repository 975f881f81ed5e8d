import { resolve } from 'node:path';

/** Where keys, lists and (later) the database live. `DATA_DIR` overrides; default ./data. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
	return resolve(env.DATA_DIR ?? './data');
}

/** What this process is (issue 14): a regional issuer (default) or the national gateway (its own DATA_DIR/database). */
export type ServerRole = 'region' | 'gateway';

/** TONGXING_ROLE = region (default) | gateway → config.role. Anything else is refused at start. */
export function serverRole(env: NodeJS.ProcessEnv = process.env): ServerRole {
	const r = env.TONGXING_ROLE ?? 'region';
	if (r !== 'region' && r !== 'gateway') throw new Error(`TONGXING_ROLE must be region or gateway: ${r}`);
	return r;
}

/** TONGXING_GATEWAY_URL → config.gatewayUrl: a region's gateway base URL; absent = single region, no federation. */
export function gatewayUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
	const u = env.TONGXING_GATEWAY_URL?.trim();
	return u ? u.replace(/\/+$/, '') : undefined;
}
