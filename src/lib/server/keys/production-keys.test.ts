/**
 * A production server starts only with the root PUBLIC key and a signed trust list naming its keys; a root
 * private key in DATA_DIR, a missing or foreign list, or a signing key the list does not name each stop the start
 * with one line (StartupError) naming the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../core/bytes.js';
import { StartupError } from '../startup-error.js';
import { KeyStore, newKey } from './keystore.js';
import { initOfflineRoot, installTrustList, signTrustRequests, trustRequest } from './offline-root.js';
import { checkProductionKeys } from './production-keys.js';
import { ensureIssuerKey, trustListPath } from './published.js';
import { rotateKey } from './rotate.js';

const NOW = 1_800_000_000;
let dir: string;
let offline: string;
let keys: KeyStore;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tx-prodkeys-'));
	offline = join(dir, 'offline');
	keys = new KeyStore(join(dir, 'server'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const server = () => join(dir, 'server');

async function refusal(): Promise<string> {
	const e = await checkProductionKeys(keys, server(), NOW).then(
		() => null,
		(x: unknown) => x
	);
	expect(e).toBeInstanceOf(StartupError);
	return (e as Error).message;
}

/** The whole ceremony: root offline, issuer key + request on the server, signed offline, installed. */
async function ceremony(): Promise<void> {
	const root = initOfflineRoot(offline);
	await ensureIssuerKey(keys, server(), { region: '440300', validDays: 365, nowSec: NOW - 60 });
	const { bytes } = await signTrustRequests(offline, [trustRequest(keys, server(), NOW)], { nowSec: NOW });
	await installTrustList(keys, server(), bytes, { nowSec: NOW, rootPublicKey: fromBase64Url(root.publicKey)! });
}

describe('checkProductionKeys', () => {
	it('starts with the root public key and a signed list covering the server’s key', async () => {
		await ceremony();
		await expect(checkProductionKeys(keys, server(), NOW)).resolves.toBeUndefined();
	});

	it('refuses a root private key in DATA_DIR, naming the file', async () => {
		await ceremony();
		keys.writeRoot(newKey());
		expect(await refusal()).toMatch(new RegExp(`^${join(server(), 'keys', 'root.json')}: a root PRIVATE key is on the online server`));
	});

	it('refuses without an issuer key, without the pinned root, without a list, and with a list that does not verify', async () => {
		expect(await refusal()).toMatch(/no issuer key that signs now/);
		await ensureIssuerKey(keys, server(), { region: '440300', validDays: 365, nowSec: NOW - 60 });
		expect(await refusal()).toMatch(/root-public-key\.txt: no pinned root public key/);
		await ceremony();
		rmSync(trustListPath(server()));
		expect(await refusal()).toMatch(/trust-list\.cose: no signed trust list/);
		writeFileSync(trustListPath(server()), 'not a list');
		expect(await refusal()).toMatch(/trust-list\.cose: not a COSE_Sign1/);
	});

	it('refuses after a rotation until the list naming the next key is installed', async () => {
		await ceremony();
		const r = await rotateKey(keys, server(), { region: '440300', nowSec: NOW, delayHours: 24 });
		expect(r.version).toBeNull(); // nothing published: the root is offline
		expect(await refusal()).toMatch(new RegExp(`issuer key ${r.next.kid} \\(440300, active\\) is not in the list`));
		const { bytes } = await signTrustRequests(offline, [trustRequest(keys, server(), NOW)], { nowSec: NOW });
		await installTrustList(keys, server(), bytes, { nowSec: NOW });
		await expect(checkProductionKeys(keys, server(), NOW)).resolves.toBeUndefined();
	});
});

describe('a federated region in production (docs/federation.md)', () => {
	it('starts on its root-signed certificate instead of a trust list; a certificate for another authority stops it', async () => {
		const { initNationalRoot, regionRequest, certify } = await import('../federation/ceremony.js');
		const { writeFileAtomic } = await import('./offline-root.js');
		const { regionCertificatePath } = await import('./region-certificate-files.js');
		const { rootPublicKeyPath, publicDir } = await import('./published.js');
		const { mkdirSync } = await import('node:fs');
		const root = initNationalRoot(offline).root;
		const req = await regionRequest(keys, server(), { region: '110100', nowSec: NOW - 60 });
		mkdirSync(publicDir(server()), { recursive: true });
		writeFileSync(rootPublicKeyPath(server()), root.publicKey + '\n');
		writeFileAtomic(regionCertificatePath(server()), await certify(offline, req, { nowSec: NOW - 60, validDays: 30 }));
		await expect(checkProductionKeys(keys, server(), NOW)).resolves.toBeUndefined();
		const other = { ...req, authority: newKey().publicKey };
		writeFileAtomic(regionCertificatePath(server()), await certify(offline, other, { nowSec: NOW - 60, validDays: 30 }));
		expect(await refusal()).toMatch(/does not certify this server's authority key/);
	});
});
