/**
 * The backup folder `tongxing backup DIR` writes (docs/drills.md §4):
 *   manifest.json       this file: what was copied, when, how long it took, and the database manifest
 *   tongxing.sqlite     SQLite: the online-backup copy (one file, rollback journal)
 *   tongxing.pgdump     PostgreSQL: pg_dump --format=custom
 *   public/             DATA_DIR/public as it was (signed trust and status lists: public, not secret)
 *   keys.txkeys         DATA_DIR/keys, encrypted (key-archive.ts) — unless --keys FILE put it elsewhere, or --no-keys
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseCopy } from '../store/backup-database.js';
import { BackupError } from '../store/backup-database.js';

export const MANIFEST_FILE = 'manifest.json';
export const KEYS_FILE = 'keys.txkeys';
export const BACKUP_FORMAT = 'tongxing-backup/1';

export interface BackupFile {
	format: typeof BACKUP_FORMAT;
	createdAt: string;
	/** how long the copy took, and the bytes of the database copy */
	ms: number;
	databaseBytes: number;
	/** SHA-256 (base64url) of the database copy: restore refuses a changed file */
	databaseSha256: string;
	database: DatabaseCopy;
	/** files of DATA_DIR/public copied */
	public: string[];
	/** the key archive: where it was written (absolute when outside the folder), its SHA-256 and the key files it holds; null: --no-keys */
	keys: { file: string; sha256: string; files: string[] } | null;
}

export function readBackupFile(dir: string): BackupFile {
	const path = join(dir, MANIFEST_FILE);
	if (!existsSync(path)) throw new BackupError(`${dir} is not a Tongxing backup (no ${MANIFEST_FILE})`);
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(path, 'utf8'));
	} catch {
		throw new BackupError(`${path} is not valid JSON`);
	}
	if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== BACKUP_FORMAT) {
		throw new BackupError(`${path}: not a ${BACKUP_FORMAT} manifest`);
	}
	return parsed as BackupFile;
}
