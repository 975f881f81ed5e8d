/**
 * Writing a file so that it survives a crash, a power cut or the kernel remounting the disk read-only after an
 * error: the data is fsynced before the file is linked or renamed into place, and the directory after. Without
 * it, ext4 can keep the new name but lose the content (delayed allocation): the drill (docs/drills.md §5) found a
 * freshly created DATA_DIR/keys/hmac.key empty after the file system was remounted read-only and checked, and the
 * server then refused to start. Keys and published lists are written rarely, so the fsyncs cost nothing that matters.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates `path` with `data` and fsyncs it (flag 'wx' by default: fails if it exists). */
export function writeFileSynced(path: string, data: string | Uint8Array, options: { mode?: number; flag?: string } = {}): void {
	const fd = openSync(path, options.flag ?? 'wx', options.mode ?? 0o600);
	try {
		const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
		let off = 0;
		while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/** fsyncs the directory holding `path`, so a rename or link into it is durable too. */
export function syncDirOf(path: string): void {
	const fd = openSync(dirname(path), 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
