/**
 * `tongxing backup DIR` (docs/drills.md §4): the database copied while the server runs (store/backup-database.ts),
 * DATA_DIR/public copied, DATA_DIR/keys sealed with a passphrase into a separate archive (key-archive.ts), and the
 * manifest written last — a folder without manifest.json is an unfinished backup.
 */
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { BackupError, copyDatabase } from '../store/backup-database.js';
import { BACKUP_FORMAT, KEYS_FILE, MANIFEST_FILE, type BackupFile } from './backup-file.js';
import { MIN_PASSPHRASE_LENGTH, sealKeys } from './key-archive.js';

export interface BackupOptions {
	dataDir: string;
	databaseUrl?: string;
	pgSchema?: string;
	outDir: string;
	/** the key archive's path (default DIR/keys.txkeys); ignored with noKeys */
	keysFile?: string;
	/** required unless noKeys */
	passphrase?: string;
	noKeys?: boolean;
	nowMs: number;
}

/** SHA-256 of a file of any size (a city's database is several GB: more than one Buffer holds), read in 8 MB chunks. */
export function sha256File(path: string): string {
	const h = createHash('sha256');
	const buf = Buffer.alloc(8 << 20);
	const fd = openSync(path, 'r');
	try {
		for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
	} finally {
		closeSync(fd);
	}
	return h.digest('base64url');
}

function filesUnder(dir: string, base = dir): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? filesUnder(join(dir, e.name), base) : e.isFile() ? [relative(base, join(dir, e.name))] : []
	);
}

export async function backupDataDir(o: BackupOptions): Promise<BackupFile> {
	const outDir = resolve(o.outDir);
	if (existsSync(outDir) && readdirSync(outDir).length > 0) throw new BackupError(`${outDir} is not empty: back up into a new folder`);
	if (!o.noKeys && !o.passphrase) {
		throw new BackupError('the key archive needs a passphrase: TONGXING_BACKUP_PASSPHRASE or --passphrase-stdin (or --no-keys)');
	}
	if (!o.noKeys && o.passphrase!.length < MIN_PASSPHRASE_LENGTH)
		throw new BackupError(`the passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
	mkdirSync(outDir, { recursive: true, mode: 0o700 });
	const started = performance.now();
	const database = await copyDatabase(o, outDir);
	const ms = Math.round(performance.now() - started);
	const dbPath = join(outDir, database.file);

	const publicDir = join(o.dataDir, 'public');
	let publicFiles: string[] = [];
	if (existsSync(publicDir)) {
		cpSync(publicDir, join(outDir, 'public'), { recursive: true });
		publicFiles = filesUnder(join(outDir, 'public')).sort();
	}

	let keys: BackupFile['keys'] = null;
	if (!o.noKeys) {
		const keysPath = resolve(o.keysFile ?? join(outDir, KEYS_FILE));
		if (existsSync(keysPath)) throw new BackupError(`${keysPath} exists: the key archive is never overwritten`);
		mkdirSync(dirname(keysPath), { recursive: true, mode: 0o700 });
		const sealed = sealKeys(join(o.dataDir, 'keys'), o.passphrase!);
		writeFileSync(keysPath, sealed.archive, { mode: 0o600, flag: 'wx' });
		const inside = relative(outDir, keysPath);
		keys = {
			file: inside.startsWith('..') || isAbsolute(inside) ? keysPath : inside,
			sha256: createHash('sha256').update(sealed.archive).digest('base64url'),
			files: sealed.files
		};
	}

	const file: BackupFile = {
		format: BACKUP_FORMAT,
		createdAt: new Date(o.nowMs).toISOString(),
		ms,
		databaseBytes: statSync(dbPath).size,
		databaseSha256: sha256File(dbPath),
		database,
		public: publicFiles,
		keys
	};
	writeFileSync(join(outDir, MANIFEST_FILE), JSON.stringify(file, null, '\t') + '\n', { mode: 0o600 });
	return file;
}
