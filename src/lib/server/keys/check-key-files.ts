/**
 * Start-up check of every key file in DATA_DIR/keys (and TONGXING_HMAC_SECRET, TONGXING_PHONE_KEY): hmac.key,
 * phone.key (exactly 32 bytes: AES-256), root.json, issuer-*.json. A server must refuse to start
 * with a key it cannot use, naming the file and what is wrong, rather than fail later at the first request (a
 * garbled hmac.key made every one-time code a 500), accept a weak one (an empty hmac.key is a zero-length HMAC
 * key: every stored hash of an ID number or phone becomes brute-forceable), or sign codes no scanner accepts (an
 * issuer file whose seed does not derive its published public key).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64Url, toBase64Url, toHex } from '../../core/bytes.js';
import { kidOf } from '../../core/kid.js';
import { nodeKeyPair } from '../crypto/node-ed25519.js';
import { StartupError } from '../startup-error.js';

/** HMAC-SHA256 keys shorter than the hash output weaken it (RFC 2104 §3): at least 32 bytes. */
export const MIN_HMAC_KEY_BYTES = 32;

/** A key file (or key setting) the server cannot start with. The message names it and says what is wrong. */
export class KeyFileError extends StartupError {
	override readonly name = 'KeyFileError';
	constructor(
		readonly file: string,
		readonly problem: string
	) {
		super(`${file}: ${problem}`);
	}
}

/** Decodes an HMAC key (base64url text), or throws KeyFileError naming `file`. */
export function parseHmacKey(text: string, file: string): Uint8Array {
	const trimmed = text.trim();
	if (!trimmed) throw new KeyFileError(file, 'empty: an HMAC key of at least 32 bytes (base64url) is required');
	const key = fromBase64Url(trimmed);
	if (!key) throw new KeyFileError(file, 'not base64url text');
	if (key.length < MIN_HMAC_KEY_BYTES) throw new KeyFileError(file, `${key.length} bytes; at least ${MIN_HMAC_KEY_BYTES} are required`);
	return key;
}

/** The phone encryption key (AES-256-GCM, crypto/phone-seal.ts): exactly 32 bytes. */
export const PHONE_KEY_BYTES = 32;

/** Decodes the phone encryption key (base64url text, exactly 32 bytes), or throws KeyFileError naming `file`. */
export function parsePhoneKey(text: string, file: string): Uint8Array {
	const trimmed = text.trim();
	if (!trimmed) throw new KeyFileError(file, `empty: a ${PHONE_KEY_BYTES}-byte AES-256 key (base64url) is required`);
	const key = fromBase64Url(trimmed);
	if (!key) throw new KeyFileError(file, 'not base64url text');
	if (key.length !== PHONE_KEY_BYTES) throw new KeyFileError(file, `${key.length} bytes; an AES-256 key is exactly ${PHONE_KEY_BYTES}`);
	return key;
}

const REQUIRED_ISSUER_FIELDS = ['kid', 'publicKey', 'seed', 'region', 'notBefore', 'notAfter', 'status'] as const;

/** Checks one Ed25519 key file's JSON: 32-byte seed and public key, the seed derives the public key, kid matches. */
function checkEd25519File(path: string, fields: readonly string[]): void {
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(path, 'utf8'));
	} catch (e) {
		throw new KeyFileError(path, `not readable JSON (${e instanceof SyntaxError ? 'truncated or garbled' : (e as Error).message})`);
	}
	if (typeof parsed !== 'object' || parsed === null) throw new KeyFileError(path, 'not a key object');
	const k = parsed as Record<string, unknown>;
	const missing = fields.filter((f) => k[f] === undefined);
	if (missing.length) throw new KeyFileError(path, `missing ${missing.join(', ')}`);
	const seed = typeof k.seed === 'string' ? fromBase64Url(k.seed) : null;
	if (!seed || seed.length !== 32) throw new KeyFileError(path, 'seed must be 32 bytes, base64url');
	const publicKey = typeof k.publicKey === 'string' ? fromBase64Url(k.publicKey) : null;
	if (!publicKey || publicKey.length !== 32) throw new KeyFileError(path, 'publicKey must be 32 bytes, base64url');
	const derived = nodeKeyPair(seed).publicKey;
	if (toBase64Url(derived) !== k.publicKey)
		throw new KeyFileError(path, 'the seed does not match publicKey (codes it signs would fail every scanner)');
	if (k.kid !== toHex(kidOf(derived))) throw new KeyFileError(path, 'kid is not the first 8 bytes of SHA-256(publicKey)');
}

/**
 * Checks the key files present in `dataDir/keys` and the HMAC secret. Missing files are not an error here (the
 * demo creates them; production start-up says what to run); files that exist must be usable.
 */
export function checkKeyFiles(dataDir: string, env: NodeJS.ProcessEnv = process.env): void {
	if (env.TONGXING_HMAC_SECRET !== undefined) parseHmacKey(env.TONGXING_HMAC_SECRET, 'TONGXING_HMAC_SECRET');
	if (env.TONGXING_PHONE_KEY !== undefined) parsePhoneKey(env.TONGXING_PHONE_KEY, 'TONGXING_PHONE_KEY');
	const dir = join(dataDir, 'keys');
	if (!existsSync(dir)) return;
	const hmac = join(dir, 'hmac.key');
	if (env.TONGXING_HMAC_SECRET === undefined && existsSync(hmac)) parseHmacKey(readFileSync(hmac, 'utf8'), hmac);
	const phone = join(dir, 'phone.key');
	if (env.TONGXING_PHONE_KEY === undefined && existsSync(phone)) parsePhoneKey(readFileSync(phone, 'utf8'), phone);
	const root = join(dir, 'root.json');
	if (existsSync(root)) checkEd25519File(root, ['kid', 'publicKey', 'seed']);
	for (const f of readdirSync(dir).sort()) {
		if (/^issuer-[0-9a-f]{16}\.json$/.test(f)) checkEd25519File(join(dir, f), REQUIRED_ISSUER_FIELDS);
	}
}
