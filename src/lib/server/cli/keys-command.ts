/**
 * tongxing keys init [--region 440300] [--valid-days 365] [--if-missing]
 *   Creates the national root key and one regional issuer key in DATA_DIR/keys, then publishes the signed
 *   trust list (v1) and an empty status list in DATA_DIR/public. Refuses to overwrite existing keys.
 */
import { parseArgs } from 'node:util';
import { REGION_RE } from '../../core/claims.js';
import { KeyStore, newKey } from '../keys/keystore.js';
import { publishStatusList, publishTrustList } from '../keys/published.js';
import { UsageError } from './usage-error.js';

export const DEFAULT_REGION = '440300';

export async function keysCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const [sub, ...rest] = argv;
	if (sub !== 'init') throw new UsageError('usage: tongxing keys init [--region CODE] [--valid-days N] [--if-missing]');
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
	const nowSec = Math.floor(nowMs / 1000);
	const root = newKey();
	keys.writeRoot(root);
	const issuer = { ...newKey(), region, notBefore: nowSec, notAfter: nowSec + days * 86400, status: 'active' as const };
	keys.writeIssuer(issuer);
	const { version } = await publishTrustList(keys, dataDir, nowSec);
	await publishStatusList(keys, dataDir, region, nowSec);
	process.stdout.write(
		`root key ${root.kid}\nissuer key ${issuer.kid} for region ${region}, valid ${days} days\n` +
			`trust list v${version} and status list written to ${dataDir}/public\n`
	);
	return 0;
}
