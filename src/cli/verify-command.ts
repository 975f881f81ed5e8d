/**
 * tongxing verify [--trust-list FILE | --trust-bundle FILE] [--status-list FILE]... [--root-key B64URL] [--at ISO-TIME] (TEXT | -)
 * Prints one JSON line {"verdict","reason","claims"} and exits 0 for valid, 1 for not valid, 2 for usage.
 * Defaults: the trust list and root key from DATA_DIR/public; revocations from the issuer database when there is one.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fromBase64Url } from '../lib/core/bytes.js';
import { verifyCodeWithDocuments } from '../lib/core/verify-documents.js';
import { createNodeBackend } from '../lib/server/crypto/node-ed25519.js';
import { publicDir, readRootPublicKey, trustListPath } from '../lib/server/keys/published.js';
import { readDocument } from './read-document.js';
import { issuer } from '../lib/server/app.js';
import { closeDatabase, SQLITE_FILE } from '../lib/server/store/open.js';
import { statusListDocument } from '../lib/server/issuer/status.js';
import { KeyStore } from '../lib/server/keys/keystore.js';
import { parseIsoTime } from './parse-time.js';
import { UsageError } from './usage-error.js';
import { readStdinUpTo } from './read-stdin.js';
import { MAX_CODE_TEXT_LENGTH } from '../lib/core/constants.js';

/**
 * The code from standard input, one trailing newline dropped. At most MAX_CODE_TEXT_LENGTH bytes (+ the newline) are
 * read: longer input stops there, and the prefix (longer than any code) gets `bad-format` from the verifier.
 */
function codeFromStdin(): string {
	const { text, truncated } = readStdinUpTo(MAX_CODE_TEXT_LENGTH + 2);
	// cut off: the prefix is already longer than any code, and the verifier says so
	return truncated ? text : text.replace(/\r?\n$/, '');
}

export async function verifyCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			'trust-list': { type: 'string' },
			'trust-bundle': { type: 'string' },
			'status-list': { type: 'string', multiple: true },
			'root-key': { type: 'string' },
			'min-trust-list-version': { type: 'string' },
			at: { type: 'string' }
		}
	});
	if (positionals.length !== 1) throw new UsageError('verify takes exactly one code (the QR text, or - for stdin)');
	const text = positionals[0] === '-' ? codeFromStdin() : positionals[0]!;
	const rootText = values['root-key'] ?? process.env.TONGXING_ROOT_PUBLIC_KEY;
	const rootPublicKey = rootText ? fromBase64Url(rootText.trim()) : readRootPublicKey(dataDir);
	if (!rootPublicKey || rootPublicKey.length !== 32) {
		throw new UsageError('no root public key: pass --root-key, set TONGXING_ROOT_PUBLIC_KEY, or run `tongxing keys init`');
	}
	const bundleFile = values['trust-bundle'];
	const trustFile = bundleFile
		? undefined
		: (values['trust-list'] ?? (existsSync(trustListPath(dataDir)) ? trustListPath(dataDir) : undefined));
	const statusLists = values['status-list'] ? values['status-list'].map(readDocument) : await defaultStatusLists(dataDir, nowMs);
	const minVersion = values['min-trust-list-version'];
	if (minVersion !== undefined && !/^\d+$/.test(minVersion)) throw new UsageError('--min-trust-list-version takes a whole number');
	const verdict = await verifyCodeWithDocuments(text, {
		rootPublicKey,
		...(trustFile ? { trustList: readDocument(trustFile) } : {}),
		...(bundleFile ? { trustBundle: readDocument(bundleFile) } : {}),
		statusLists,
		...(minVersion ? { minTrustListVersion: Number(minVersion) } : {}),
		now: values.at ? parseIsoTime(values.at, '--at') : nowMs,
		backend: createNodeBackend()
	});
	process.stdout.write(
		JSON.stringify({
			verdict: verdict.verdict,
			reason: verdict.reason,
			claims: verdict.claims ?? null,
			...(verdict.detail ? { detail: verdict.detail } : {})
		}) + '\n'
	);
	return verdict.verdict === 'valid' ? 0 : 1;
}

/**
 * Without --status-list: the issuer's database is the source of truth for revocations, so when this data
 * directory has one (or DATABASE_URL is set) the current lists are signed from it; otherwise the signed files
 * in DATA_DIR/public are used.
 */
async function defaultStatusLists(dataDir: string, nowMs: number): Promise<Uint8Array[]> {
	const keys = new KeyStore(dataDir);
	// issuer keys, not the root: a production server has no root private key (keys/offline-root.ts)
	if (keys.issuers().length > 0 && (process.env.DATABASE_URL || existsSync(join(dataDir, SQLITE_FILE)))) {
		try {
			const deps = await issuer();
			const regions = [...new Set(keys.issuers().map((k) => k.region))];
			const docs: Uint8Array[] = [];
			for (const region of regions) {
				if (keys.activeIssuer(region, Math.floor(nowMs / 1000))) docs.push((await statusListDocument(deps.db, keys, region, nowMs)).bytes);
			}
			return docs;
		} finally {
			await closeDatabase();
		}
	}
	const dir = publicDir(dataDir);
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => /^status-\d{6}\.cose$/.test(f))
		.map((f) => readDocument(join(dir, f)));
}
