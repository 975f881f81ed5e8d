/**
 * tongxing trust-list publish             re-sign the trust list from the keystore (version + 1)
 * tongxing status-list publish [--region CODE] [--revoke CODE-ID]...   revoke codes (database), write the signed list file
 */
import { parseArgs } from 'node:util';
import { fromBase64Url } from '../lib/core/bytes.js';
import { CODE_ID_MIN_BYTES } from '../lib/core/claims.js';
import { KeyStore } from '../lib/server/keys/keystore.js';
import { publishTrustList, writeStatusListFile } from '../lib/server/keys/published.js';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { markCodesRevoked } from '../lib/server/store/codes-for-cli.js';
import { transaction } from '../lib/server/store/db.js';
import { revokeCodes, statusListDocument } from '../lib/server/issuer/status.js';
import { UsageError } from './usage-error.js';

export function listsCommand(kind: 'trust-list' | 'status-list') {
	return async (argv: string[], dataDir: string, nowMs: number): Promise<number> => {
		const [sub, ...rest] = argv;
		if (sub !== 'publish') throw new UsageError(`usage: tongxing ${kind} publish`);
		const keys = new KeyStore(dataDir);
		if (!keys.hasRoot() && !keys.issuers().length)
			throw new UsageError('no keys yet: run `tongxing keys init` (or `keys request` in production)');
		const nowSec = Math.floor(nowMs / 1000);
		if (kind === 'trust-list') {
			if (!keys.hasRoot())
				throw new UsageError(
					'the root key is offline here: `tongxing keys request`, sign offline, `tongxing keys install-trust-list` (docs/issuance.md)'
				);
			const { version } = await publishTrustList(keys, dataDir, nowSec);
			process.stdout.write(`trust list v${version} published\n`);
			return 0;
		}
		const { values } = parseArgs({
			args: withAttachedValues(rest, ['--revoke']),
			options: { region: { type: 'string' }, revoke: { type: 'string', multiple: true } }
		});
		const revoke = values.revoke ?? [];
		for (const id of revoke) {
			const bytes = fromBase64Url(id);
			if (!bytes || bytes.length < CODE_ID_MIN_BYTES) throw new UsageError(`not a code id: ${id}`);
		}
		try {
			const deps = await issuer();
			const region = values.region ?? deps.config.region;
			await transaction(deps.db, async (tx) => {
				if (revoke.length) await markCodesRevoked(tx, revoke, nowMs);
				await revokeCodes(tx, region, revoke, nowMs);
			});
			const { bytes, seq } = await statusListDocument(deps.db, deps.keys, region, nowMs);
			writeStatusListFile(dataDir, region, bytes);
			process.stdout.write(`status list seq ${seq} for ${region} written to ${dataDir}/public (${revoke.length} newly revoked)\n`);
		} finally {
			await closeDatabase();
		}
		return 0;
	};
}

/**
 * `--revoke ID` → `--revoke=ID`: code ids are base64url, and one in 64 starts with '-', which parseArgs would take
 * for an option ("argument is ambiguous"). The value after these options is always a value.
 */
function withAttachedValues(args: readonly string[], options: readonly string[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const a = args[i]!;
		if (options.includes(a) && i + 1 < args.length) out.push(`${a}=${args[++i]!}`);
		else out.push(a);
	}
	return out;
}
