/**
 * tongxing keys init [--region 440300] [--valid-days 365] [--if-missing]
 *   Demo / single machine: creates the national root key and one regional issuer key in DATA_DIR/keys, then
 *   publishes the signed trust list (v1) and an empty status list in DATA_DIR/public. Refuses to overwrite keys.
 * The production ceremony (keys/offline-root.ts, docs/issuance.md), root private key offline:
 *   tongxing keys init --root-only --out DIR                     (offline) the root key pair in DIR
 *   tongxing keys request [--region R] [--valid-days N] --out FILE   (server) issuer key if none, request file
 *   tongxing keys sign-trust-list --root DIR --request FILE... --out FILE [--max-age-days N]   (offline)
 *   tongxing keys install-trust-list FILE [--root-public-key FILE]  (server) verify against the pinned root, install
 */
import { parseArgs } from 'node:util';
import { REGION_RE } from '../lib/core/claims.js';
import { KeyStore } from '../lib/server/keys/keystore.js';
import { initKeys } from '../lib/server/keys/published.js';
import { compromiseKey, DEFAULT_KEY_VALID_DAYS, DEFAULT_ROTATION_DELAY_HOURS, rotateKey } from '../lib/server/keys/rotate.js';
import { reissueCodesOfKey } from '../lib/server/issuer/reissue.js';
import { issuer } from '../lib/server/app.js';
import { closeDatabase } from '../lib/server/store/open.js';
import { UsageError } from './usage-error.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
	initOfflineRoot,
	installTrustList,
	KeyCeremonyError,
	parseTrustRequest,
	readRootPublicKeyFile,
	signTrustRequests,
	trustRequest
} from '../lib/server/keys/offline-root.js';
import { ensureIssuerKey } from '../lib/server/keys/published.js';
import { isFederatedRegion } from '../lib/server/keys/region-certificate-files.js';

export const DEFAULT_REGION = '440300';

const USAGE =
	'usage: tongxing keys init [--region CODE] [--valid-days N] [--if-missing] | keys init --root-only --out DIR | keys request --out FILE [--region CODE] [--valid-days N] | keys sign-trust-list --root DIR --request FILE... --out FILE [--max-age-days N] | keys install-trust-list FILE [--root-public-key FILE] | keys rotate [--region CODE] [--delay-hours H] [--valid-days N] | keys compromise KID | keys list';

const OFFLINE_STEP =
	'the root key is offline: run `tongxing keys request --out FILE`, sign it on the offline machine (`tongxing keys sign-trust-list`), then `tongxing keys install-trust-list LIST`';

export async function keysCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const [sub, ...rest] = argv;
	if (sub === 'rotate') return rotateCommand(rest, dataDir, nowMs);
	if (sub === 'compromise') return compromiseCommand(rest, dataDir, nowMs);
	if (sub === 'list') return listCommand(dataDir);
	if (sub === 'request') return ceremony(() => requestCommand(rest, dataDir, nowMs));
	if (sub === 'sign-trust-list') return ceremony(() => signCommand(rest, nowMs));
	if (sub === 'install-trust-list') return ceremony(() => installCommand(rest, dataDir, nowMs));
	if (sub !== 'init') throw new UsageError(USAGE);
	const { values } = parseArgs({
		args: rest,
		options: {
			region: { type: 'string' },
			'valid-days': { type: 'string' },
			'if-missing': { type: 'boolean' },
			'root-only': { type: 'boolean' },
			out: { type: 'string' }
		}
	});
	if (values['root-only']) {
		if (!values.out) throw new UsageError('usage: tongxing keys init --root-only --out DIR   (on the offline machine)');
		return ceremony(() => {
			const root = initOfflineRoot(resolve(values.out!));
			process.stdout.write(
				`root key ${root.kid} in ${resolve(values.out!)}/root.json (private: keep this folder offline)\n` +
					`pin ${resolve(values.out!)}/root-public-key.txt on servers and apps: ${root.publicKey}\n`
			);
			return Promise.resolve(0);
		});
	}
	const region = values.region ?? DEFAULT_REGION;
	if (!REGION_RE.test(region)) throw new UsageError('--region must be a GB/T 2260 six-digit code, e.g. 440300');
	const days = Number(values['valid-days'] ?? 365);
	if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError('--valid-days must be 1–3650');
	const keys = new KeyStore(dataDir);
	// a federated region's root is the national one (federation/ceremony.ts): never make one here
	if (values['if-missing'] && isFederatedRegion(dataDir)) return 0;
	if (keys.hasRoot()) {
		if (values['if-missing']) return 0;
		process.stderr.write(`keys already exist in ${keys.dir}; nothing changed\n`);
		return 1;
	}
	const { root, issuer, version } = await initKeys(keys, dataDir, { region, validDays: days, nowSec: Math.floor(nowMs / 1000) });
	process.stdout.write(
		`root key ${root.kid}\nissuer key ${issuer.kid} for region ${region}, valid ${days} days\n` +
			`trust list v${version} and status list written to ${dataDir}/public\n`
	);
	return 0;
}

async function rotateCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const { values } = parseArgs({
		args: argv,
		options: { region: { type: 'string' }, 'delay-hours': { type: 'string' }, 'valid-days': { type: 'string' } }
	});
	const keys = new KeyStore(dataDir);
	if (!keys.hasRoot() && !keys.issuers().length)
		throw new UsageError('no keys yet: run `tongxing keys init` (or `keys request` in production)');
	const region = values.region ?? keys.issuers().find((k) => k.status === 'active')?.region ?? DEFAULT_REGION;
	const delayHours = Number(values['delay-hours'] ?? DEFAULT_ROTATION_DELAY_HOURS);
	if (!(delayHours >= 0 && delayHours <= 24 * 30)) throw new UsageError('--delay-hours must be 0–720');
	const validDays = Number(values['valid-days'] ?? DEFAULT_KEY_VALID_DAYS);
	if (!Number.isInteger(validDays) || validDays < 1 || validDays > 3650) throw new UsageError('--valid-days must be 1–3650');
	const r = await rotateKey(keys, dataDir, { region, nowSec: Math.floor(nowMs / 1000), delayHours, validDays });
	process.stdout.write(
		`next key ${r.next.kid} for ${region} signs from ${new Date(r.next.notBefore * 1000).toISOString()}; ` +
			`${r.previous.join(', ') || 'no key'} stops signing then. ` +
			(r.version === null ? `Before then, ${OFFLINE_STEP}.\n` : `Trust list v${r.version} published.\n`)
	);
	return 0;
}

async function compromiseCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const kid = argv[0];
	if (!kid || !/^[0-9a-f]{16}$/.test(kid) || argv.length !== 1)
		throw new UsageError('usage: tongxing keys compromise KID (16 hex digits, see `tongxing keys list`)');
	const keys = new KeyStore(dataDir);
	if (!keys.issuers().some((k) => k.kid === kid)) throw new UsageError(`no issuer key ${kid}`);
	const r = await compromiseKey(keys, dataDir, { kid, nowSec: Math.floor(nowMs / 1000) });
	process.stdout.write(
		`key ${kid} marked compromised; ` +
			(r.version === null ? `NOW ${OFFLINE_STEP} (scanners trust the key until then)` : `trust list v${r.version} published`) +
			`${r.replacement ? `; new key ${r.replacement.kid} signs from now` : ''}\n`
	);
	try {
		const deps = await issuer();
		const out = await reissueCodesOfKey(deps, kid);
		process.stdout.write(`revoked ${out.revoked} live codes; re-issued codes for ${out.people} people\n`);
	} finally {
		await closeDatabase();
	}
	return 0;
}

function listCommand(dataDir: string): number {
	for (const k of new KeyStore(dataDir).issuers()) {
		process.stdout.write(
			`${k.kid}  ${k.region}  ${k.status.padEnd(11)}  ${new Date(k.notBefore * 1000).toISOString()} → ${new Date(k.notAfter * 1000).toISOString()}\n`
		);
	}
	return 0;
}

/** A ceremony step that cannot go ahead prints one line and exits 1. */
async function ceremony(step: () => Promise<number>): Promise<number> {
	try {
		return await step();
	} catch (e) {
		if (!(e instanceof KeyCeremonyError)) throw e;
		process.stderr.write(`${e.message}\n`);
		return 1;
	}
}

/** Server: an issuer key for the region if none signs now, then the request file for the offline root. */
async function requestCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const { values } = parseArgs({
		args: argv,
		options: { region: { type: 'string' }, 'valid-days': { type: 'string' }, out: { type: 'string' } }
	});
	if (!values.out) throw new UsageError('usage: tongxing keys request --out FILE [--region CODE] [--valid-days N]');
	const keys = new KeyStore(dataDir);
	const nowSec = Math.floor(nowMs / 1000);
	const region = values.region ?? keys.issuers().find((k) => k.status === 'active')?.region ?? DEFAULT_REGION;
	if (!REGION_RE.test(region)) throw new UsageError('--region must be a GB/T 2260 six-digit code, e.g. 440300');
	const days = Number(values['valid-days'] ?? DEFAULT_KEY_VALID_DAYS);
	if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError('--valid-days must be 1–3650');
	const made = await ensureIssuerKey(keys, dataDir, { region, validDays: days, nowSec });
	const request = trustRequest(keys, dataDir, nowSec);
	writeFileSync(values.out, JSON.stringify(request, null, '\t') + '\n');
	process.stdout.write(
		(made ? `new issuer key ${made.kid} for ${region}, valid ${days} days\n` : '') +
			`trust request with ${request.keys.length} issuer key(s) written to ${values.out}: sign it on the offline machine\n`
	);
	return 0;
}

/** Offline: sign one or several requests (several regional issuers) into one trust list. */
async function signCommand(argv: string[], nowMs: number): Promise<number> {
	const { values } = parseArgs({
		args: argv,
		options: {
			root: { type: 'string' },
			request: { type: 'string', multiple: true },
			out: { type: 'string' },
			'max-age-days': { type: 'string' }
		}
	});
	if (!values.root || !values.request?.length || !values.out)
		throw new UsageError(
			'usage: tongxing keys sign-trust-list --root DIR --request FILE [--request FILE]... --out FILE [--max-age-days N]'
		);
	const maxAgeDays = Number(values['max-age-days'] ?? 7);
	if (!Number.isInteger(maxAgeDays) || maxAgeDays < 1 || maxAgeDays > 90) throw new UsageError('--max-age-days must be 1–90');
	const requests = values.request.map((f) => {
		let text: string;
		try {
			text = readFileSync(f, 'utf8');
		} catch {
			throw new KeyCeremonyError(`${f}: cannot read it`);
		}
		return parseTrustRequest(text, f);
	});
	const r = await signTrustRequests(resolve(values.root), requests, {
		nowSec: Math.floor(nowMs / 1000),
		maxAgeSeconds: maxAgeDays * 86400
	});
	writeFileSync(values.out, r.bytes);
	process.stdout.write(
		`trust list v${r.version} with ${r.keys.length} issuer key(s) (${[...new Set(r.keys.map((k) => k.region))].join(', ')}), ` +
			`valid ${maxAgeDays} days, written to ${values.out}\n`
	);
	return 0;
}

/** Server: verify a signed list against the pinned root public key and install it. */
async function installCommand(argv: string[], dataDir: string, nowMs: number): Promise<number> {
	const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'root-public-key': { type: 'string' } } });
	if (positionals.length !== 1) throw new UsageError('usage: tongxing keys install-trust-list FILE [--root-public-key FILE]');
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(readFileSync(positionals[0]!));
	} catch {
		throw new KeyCeremonyError(`${positionals[0]}: cannot read it`);
	}
	const rootPublicKey = values['root-public-key'] ? readRootPublicKeyFile(values['root-public-key']) : undefined;
	const r = await installTrustList(new KeyStore(dataDir), dataDir, bytes, {
		nowSec: Math.floor(nowMs / 1000),
		...(rootPublicKey ? { rootPublicKey } : {})
	});
	process.stdout.write(`trust list v${r.version} installed${r.pinnedNow ? '; root public key pinned' : ''}\n`);
	return 0;
}
