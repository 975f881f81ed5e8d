/**
 * `tongxing restore DIR` (docs/drills.md §4): into a fresh DATA_DIR (and, on PostgreSQL, an empty database), the
 * database copy checked against its SHA-256, the public lists, and the key archive opened with the passphrase;
 * then the database is opened (newer migrations run) and its manifest computed again and compared with the one
 * written at backup. Any difference is returned: the caller reports it and fails.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { BackupError, putDatabaseBack } from '../store/backup-database.js';
import { compareManifests, databaseManifest, type DatabaseManifest } from '../store/database-manifest.js';
import { openDatabase } from '../store/open.js';
import { readBackupFile, type BackupFile } from './backup-file.js';
import { sha256File } from './backup-data-dir.js';
import { openKeys, writeKeys } from './key-archive.js';

export interface RestoreOptions {
	backupDir: string;
	dataDir: string;
	databaseUrl?: string;
	/** the key archive, when it was kept apart from the folder (default: where the manifest says) */
	keysFile?: string;
	passphrase?: string;
	/** restore the database without the keys (they are restored by hand, or the region gets new ones) */
	noKeys?: boolean;
}

export interface RestoreResult {
	backup: BackupFile;
	restored: DatabaseManifest;
	keyFiles: string[];
	/** one line per difference between the backup's manifest and the restored database; empty: identical */
	differences: string[];
}

export async function restoreDataDir(o: RestoreOptions): Promise<RestoreResult> {
	const backupDir = resolve(o.backupDir);
	const backup = readBackupFile(backupDir);
	const dbFile = join(backupDir, backup.database.file);
	if (!existsSync(dbFile)) throw new BackupError(`the backup has no ${backup.database.file}`);
	if (sha256File(dbFile) !== backup.databaseSha256) throw new BackupError(`${dbFile} is not the file the backup wrote (SHA-256 differs)`);

	const keysDir = join(o.dataDir, 'keys');
	let keyFiles = new Map<string, Buffer>();
	if (!o.noKeys) {
		if (!backup.keys) throw new BackupError('this backup was made with --no-keys: restore with --no-keys and put the keys back by hand');
		if (!o.passphrase)
			throw new BackupError('the key archive needs its passphrase: TONGXING_BACKUP_PASSPHRASE or --passphrase-stdin (or --no-keys)');
		const archivePath = resolve(o.keysFile ?? (isAbsolute(backup.keys.file) ? backup.keys.file : join(backupDir, backup.keys.file)));
		if (!existsSync(archivePath)) throw new BackupError(`no key archive at ${archivePath}: give its place with --keys FILE`);
		const archive = readFileSync(archivePath);
		if (createHash('sha256').update(archive).digest('base64url') !== backup.keys.sha256) {
			throw new BackupError(`${archivePath} is not the key archive this backup wrote (SHA-256 differs)`);
		}
		keyFiles = openKeys(archive, o.passphrase); // before anything is written: a wrong passphrase leaves DATA_DIR alone
		if (existsSync(keysDir) && readdirSync(keysDir).length > 0)
			throw new BackupError(`${keysDir} is not empty: restore into a fresh DATA_DIR`);
	}
	const publicDir = join(o.dataDir, 'public');
	if (existsSync(publicDir) && readdirSync(publicDir).length > 0)
		throw new BackupError(`${publicDir} is not empty: restore into a fresh DATA_DIR`);

	await putDatabaseBack(backup.database, backupDir, o);
	if (keyFiles.size > 0) writeKeys(keysDir, keyFiles);
	if (existsSync(join(backupDir, 'public'))) cpSync(join(backupDir, 'public'), publicDir, { recursive: true });

	const pgSchema = backup.database.pgSchema;
	const opened = await openDatabase({
		dataDir: o.dataDir,
		...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
		...(o.databaseUrl && pgSchema && pgSchema !== 'public' ? { pgSchema } : {})
	});
	try {
		const restored = await databaseManifest(opened.db);
		return { backup, restored, keyFiles: [...keyFiles.keys()].sort(), differences: compareManifests(backup.database.manifest, restored) };
	} finally {
		await opened.close();
	}
}
