/**
 * tongxing restore DIR [--keys FILE] [--no-keys] [--passphrase-stdin]
 * Restores a `tongxing backup` folder into a fresh DATA_DIR (PostgreSQL: into the empty database at DATABASE_URL),
 * opens it, computes the manifest again and prints it beside the backup's; any difference is an error (exit 1).
 */
import { parseArgs } from 'node:util';
import { restoreDataDir } from '../lib/server/backup/restore-data-dir.js';
import type { DatabaseManifest } from '../lib/server/store/database-manifest.js';
import { backupPassphrase } from './backup-passphrase.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: tongxing restore DIR [--keys FILE] [--no-keys] [--passphrase-stdin]';

/** The comparison as lines: what, backed up, restored. */
function comparison(a: DatabaseManifest, b: DatabaseManifest): string[] {
	const sum = (m: DatabaseManifest) => Object.values(m.counts).reduce((x, n) => x + n, 0);
	const events = (m: DatabaseManifest) => Object.values(m.scanChains).reduce((x, c) => x + c.events, 0);
	const broken = (m: DatabaseManifest) => Object.values(m.scanChains).reduce((x, c) => x + c.broken, 0);
	const revoked = (m: DatabaseManifest) => Object.values(m.statusLists).reduce((x, l) => x + l.entries, 0);
	const audit = (m: DatabaseManifest) => Object.values(m.audits).reduce((x, l) => x + l.rows, 0);
	const rows: [string, string | number, string | number][] = [
		['rows (all tables)', sum(a), sum(b)],
		['scan chains', Object.keys(a.scanChains).length, Object.keys(b.scanChains).length],
		['scan events', events(a), events(b)],
		['scan events not hashing or linking', broken(a), broken(b)],
		['status lists', Object.keys(a.statusLists).length, Object.keys(b.statusLists).length],
		['revocations listed', revoked(a), revoked(b)],
		['audit rows', audit(a), audit(b)]
	];
	return rows.map(([what, x, y]) => `  ${what.padEnd(36)} ${String(x).padStart(10)} ${String(y).padStart(10)}`);
}

export async function restoreCommand(argv: string[], dataDir: string, _nowMs: number): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { keys: { type: 'string' }, 'no-keys': { type: 'boolean' }, 'passphrase-stdin': { type: 'boolean' } }
	});
	if (positionals.length !== 1) throw new UsageError(USAGE);
	if (values['no-keys'] && (values.keys !== undefined || values['passphrase-stdin']))
		throw new UsageError('--no-keys takes no --keys or passphrase');
	const passphrase = values['no-keys'] ? undefined : backupPassphrase(values['passphrase-stdin']);
	const r = await restoreDataDir({
		backupDir: positionals[0]!,
		dataDir,
		...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
		...(values.keys !== undefined ? { keysFile: values.keys } : {}),
		...(passphrase !== undefined ? { passphrase } : {}),
		noKeys: values['no-keys'] === true
	});
	process.stdout.write(
		`restore: ${r.backup.database.engine} backup of ${r.backup.createdAt} into ${dataDir}; ${r.keyFiles.length} key files\n` +
			`  ${'what'.padEnd(36)} ${'backed up'.padStart(10)} ${'restored'.padStart(10)}\n` +
			comparison(r.backup.database.manifest, r.restored).join('\n') +
			'\n'
	);
	if (r.differences.length > 0) {
		process.stderr.write(
			`tongxing restore: the restored database differs from the backup's manifest:\n${r.differences.map((d) => `  ${d}`).join('\n')}\n`
		);
		return 1;
	}
	process.stdout.write('restore: every table count, scan chain, status list and audit digest matches the backup\n');
	return 0;
}
