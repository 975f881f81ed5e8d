/**
 * The key material of DATA_DIR/keys (issuer and root keys, the HMAC and phone keys, federation keys), backed up
 * apart from the database and encrypted: anyone holding the database copy and the keys could sign codes and
 * read every stored phone, so the two are meant to travel and be kept separately (docs/drills.md §4).
 *
 * Format: "TXKEYS1\n", then salt (16 bytes), IV (12), GCM tag (16), then the ciphertext of a JSON object
 * {files: {relative path: base64}}. Key: scrypt(passphrase, salt, N=2^15, r=8, p=1) → 32 bytes; AES-256-GCM
 * with the magic as additional data. A wrong passphrase or any changed byte fails the tag: nothing is written.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const MAGIC = Buffer.from('TXKEYS1\n', 'ascii');
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
/** Shorter passphrases are refused: the archive may be kept where others can copy it. */
export const MIN_PASSPHRASE_LENGTH = 12;

export class KeyArchiveError extends Error {
	override readonly name = 'KeyArchiveError';
}

function derive(passphrase: string, salt: Buffer): Buffer {
	if (passphrase.length < MIN_PASSPHRASE_LENGTH)
		throw new KeyArchiveError(`the passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
	return scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT);
}

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = join(dir, e.name);
		if (e.isDirectory()) return filesUnder(p);
		// a key file being written (secrets.ts writes *.tmp, then links it into place) is not a key yet
		return e.isFile() && !e.name.endsWith('.tmp') ? [p] : [];
	});
}

/** The sealed archive of every file under `keysDir` (an empty archive when there is none), and the paths it holds. */
export function sealKeys(keysDir: string, passphrase: string): { archive: Buffer; files: string[] } {
	const files: Record<string, string> = {};
	if (existsSync(keysDir)) {
		for (const p of filesUnder(keysDir)) files[relative(keysDir, p).split(sep).join('/')] = readFileSync(p).toString('base64');
	}
	const salt = randomBytes(16);
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', derive(passphrase, salt), iv);
	cipher.setAAD(MAGIC);
	const body = Buffer.concat([cipher.update(JSON.stringify({ files }), 'utf8'), cipher.final()]);
	return { archive: Buffer.concat([MAGIC, salt, iv, cipher.getAuthTag(), body]), files: Object.keys(files).sort() };
}

/** Decrypts an archive into {path: bytes}; throws KeyArchiveError on a wrong passphrase or a damaged file. */
export function openKeys(archive: Buffer, passphrase: string): Map<string, Buffer> {
	const head = MAGIC.length;
	if (archive.length < head + 44 || !archive.subarray(0, head).equals(MAGIC)) throw new KeyArchiveError('not a Tongxing key archive');
	const salt = archive.subarray(head, head + 16);
	const iv = archive.subarray(head + 16, head + 28);
	const tag = archive.subarray(head + 28, head + 44);
	const decipher = createDecipheriv('aes-256-gcm', derive(passphrase, salt), iv);
	decipher.setAAD(MAGIC);
	decipher.setAuthTag(tag);
	let text: string;
	try {
		text = Buffer.concat([decipher.update(archive.subarray(head + 44)), decipher.final()]).toString('utf8');
	} catch {
		throw new KeyArchiveError('wrong passphrase, or the key archive is damaged');
	}
	const parsed = JSON.parse(text) as { files: Record<string, string> };
	const out = new Map<string, Buffer>();
	for (const [path, b64] of Object.entries(parsed.files)) {
		if (path.split('/').some((part) => part === '..' || part === '') || path.startsWith('/'))
			throw new KeyArchiveError(`bad path in the archive: ${path}`);
		out.set(path, Buffer.from(b64, 'base64'));
	}
	return out;
}

/** Writes the files into `keysDir` (0700; files 0600), refusing to overwrite any that exists. */
export function writeKeys(keysDir: string, files: Map<string, Buffer>): void {
	mkdirSync(keysDir, { recursive: true, mode: 0o700 });
	chmodSync(keysDir, 0o700);
	for (const [path, bytes] of files) {
		const target = join(keysDir, ...path.split('/'));
		mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
		writeFileSync(target, bytes, { mode: 0o600, flag: 'wx' });
	}
}
