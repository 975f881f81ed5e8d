/**
 * tongxing keys init [--region 440300] [--valid-days 365] [--if-missing]
 *   Creates the national root key and one regional issuer key in DATA_DIR/keys, then publishes the signed
 *   trust list (v1) and an empty status list in DATA_DIR/public. Refuses to overwrite existing keys.
 */
import { parseArgs } from 'node:util';
import { REGION_RE } from '../lib/core/claims.js';
import { KeyStore } from '../lib/server/keys/keystore.js';
import { initKeys } from '../lib/server/keys/published.js';
import { compromiseKey, DEFAULT_KEY_VALID_DAYS, DEFAULT_ROTATION_DELAY_HOURS, rotateKey } from '../lib/server/keys/rotate.js';
import { reissueCodesOfKey } from '../lib/server/issuer/reissue.js';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { UsageError } from './usage-error.js';

export const DEFAULT_REGION = '440300';

const USAGE =
	'usage: tongxing keys init [--region CODE] [--valid-days N] [--if-missing] | keys rotate [--region CODE] [--delay-hours H] [--valid-days N] | keys compromise KID | keys list';

export async function keysCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const [sub, ...rest] = argv;
	if (sub === 'rotate') return rotateCommand(rest, dataDir, nowMs);
	if (sub === 'compromise') return compromiseCommand(rest, dataDir, nowMs);
	if (sub === 'list') return listCommand(dataDir);
	if (sub !== 'init') throw new UsageError(USAGE);
	const { values } = parseArgs({
		args: rest,
		options: { region: { type: 'string' }, 'valid-days': { type: 'string' }, 'if-missing': { type: 'boolean' } }
	});
	const region = values.region ?? DEFAULT_REGION;
	if (!REGION_RE.test(region)) throw new UsageError('--region must be a GB/T 2260 six-digit code, e.g. 440300');
	const days = Number(values['valid-days'] ?? 365);
	if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError('--valid-days must be 1–3650');
	const keys = new KeyStore(dataDir);
	if (keys.hasRoot()) {
		if (values['if-missing']) return 0;
		process.stderr.write(`keys already exist in ${keys.dir}; nothing changed\n`);
		return 1;
	}
	const { root, issuer, version } = await initKeys(keys, dataDir, { region, validDays: days, nowSec: Math.floor(nowMs / 1000) });
	process.stdout.write(
		`root key ${root.kid}\nissuer key ${issuer.kid} for region ${region}, valid ${days} days\n` +
			`trust list v${version} and status list written to ${dataDir}/public\n`
	);
	return 0;
}

async function rotateCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const { values } = parseArgs({
		args: argv,
		options: { region: { type: 'string' }, 'delay-hours': { type: 'string' }, 'valid-days': { type: 'string' } }
	});
	const keys = new KeyStore(dataDir);
	if (!keys.hasRoot()) throw new UsageError('no keys yet: run `tongxing keys init`');
	const region = values.region ?? keys.issuers().find((k) => k.status === 'active')?.region ?? DEFAULT_REGION;
	const delayHours = Number(values['delay-hours'] ?? DEFAULT_ROTATION_DELAY_HOURS);
	if (!(delayHours >= 0 && delayHours <= 24 * 30)) throw new UsageError('--delay-hours must be 0–720');
	const validDays = Number(values['valid-days'] ?? DEFAULT_KEY_VALID_DAYS);
	if (!Number.isInteger(validDays) || validDays < 1 || validDays > 3650) throw new UsageError('--valid-days must be 1–3650');
	const r = await rotateKey(keys, dataDir, { region, nowSec: Math.floor(nowMs / 1000), delayHours, validDays });
	process.stdout.write(
		`next key ${r.next.kid} for ${region} signs from ${new Date(r.next.notBefore * 1000).toISOString()}; ` +
			`${r.previous.join(', ') || 'no key'} stops signing then. Trust list v${r.version} published.\n`
	);
	return 0;
}

async function compromiseCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const kid = argv[0];
	if (!kid || !/^[0-9a-f]{16}$/.test(kid) || argv.length !== 1)
		throw new UsageError('usage: tongxing keys compromise KID (16 hex digits, see `tongxing keys list`)');
	const keys = new KeyStore(dataDir);
	if (!keys.issuers().some((k) => k.kid === kid)) throw new UsageError(`no issuer key ${kid}`);
	const r = await compromiseKey(keys, dataDir, { kid, nowSec: Math.floor(nowMs / 1000) });
	process.stdout.write(
		`key ${kid} marked compromised; trust list v${r.version} published${r.replacement ? `; new key ${r.replacement.kid} signs from now` : ''}\n`
	);
	try {
		const deps = await issuer();
		const out = await reissueCodesOfKey(deps, kid);
		process.stdout.write(`revoked ${out.revoked} live codes; re-issued codes for ${out.people} people\n`);
	} finally {
		await closeDatabase();
	}
	return 0;
}

function listCommand(dataDir: string): number {
	for (const k of new KeyStore(dataDir).issuers()) {
		process.stdout.write(
			`${k.kid}  ${k.region}  ${k.status.padEnd(11)}  ${new Date(k.notBefore * 1000).toISOString()} → ${new Date(k.notAfter * 1000).toISOString()}\n`
		);
	}
	return 0;
}
