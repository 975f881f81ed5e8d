/**
 * tongxing backup DIR [--keys FILE] [--no-keys] [--passphrase-stdin]
 * Copies the database while the server runs (SQLite: the online backup API; PostgreSQL when DATABASE_URL is set:
 * pg_dump), DATA_DIR/public, and DATA_DIR/keys encrypted with a passphrase, and writes DIR/manifest.json with the
 * rows per table, the scan chains' heads, the status lists and the audits' digests (docs/drills.md §4).
 */
import { parseArgs } from 'node:util';
import { backupDataDir } from '../lib/server/backup/backup-data-dir.js';
import { backupPassphrase } from './backup-passphrase.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: tongxing backup DIR [--keys FILE] [--no-keys] [--passphrase-stdin]';

export async function backupCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { keys: { type: 'string' }, 'no-keys': { type: 'boolean' }, 'passphrase-stdin': { type: 'boolean' } }
	});
	if (positionals.length !== 1) throw new UsageError(USAGE);
	if (values['no-keys'] && (values.keys !== undefined || values['passphrase-stdin']))
		throw new UsageError('--no-keys takes no --keys or passphrase');
	const passphrase = values['no-keys'] ? undefined : backupPassphrase(values['passphrase-stdin']);
	const b = await backupDataDir({
		dataDir,
		...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
		outDir: positionals[0]!,
		...(values.keys !== undefined ? { keysFile: values.keys } : {}),
		...(passphrase !== undefined ? { passphrase } : {}),
		noKeys: values['no-keys'] === true,
		nowMs
	});
	const m = b.database.manifest;
	const rows = Object.values(m.counts).reduce((a, n) => a + n, 0);
	const scans = Object.values(m.scanChains).reduce((a, c) => a + c.events, 0);
	process.stdout.write(
		`backup: ${b.database.engine} database ${b.database.file}, ${(b.databaseBytes / 1e6).toFixed(1)} MB in ${b.ms} ms\n` +
			`  ${rows} rows in ${Object.keys(m.counts).length} tables; ${Object.keys(m.scanChains).length} scan chains (${scans} events); ` +
			`${Object.keys(m.statusLists).length} status lists; ${Object.keys(m.audits).length} audits digested\n` +
			`  public: ${b.public.length} files; keys: ${b.keys ? `${b.keys.files.length} files encrypted in ${b.keys.file}` : 'not backed up (--no-keys)'}\n`
	);
	return 0;
}
