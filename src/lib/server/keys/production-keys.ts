/**
 * What a production server needs of its keys before it answers anything (keys/offline-root.ts): no root private
 * key on the machine (it lives offline), the pinned root public key, a trust list that verifies against it and
 * names this server's signing keys, and an issuer key that signs now. Each lack is one StartupError line saying
 * what to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openTrustList } from '../../core/trust-list.js';
import { createNodeBackend } from '../crypto/node-ed25519.js';
import { StartupError } from '../startup-error.js';
import type { KeyStore } from './keystore.js';
import { uncoveredKeys } from './offline-root.js';
import { readRootPublicKey, rootPublicKeyPath, trustListPath } from './published.js';
import { openCertificate } from '../../core/federation/certificate.js';
import { readAuthorityKey, readRegionCertificate, regionCertificatePath } from './region-certificate-files.js';

const CEREMONY = 'docs/issuance.md "Production keys"';

export async function checkProductionKeys(keys: KeyStore, dataDir: string, nowSec: number): Promise<void> {
	if (keys.hasRoot()) {
		throw new StartupError(
			`${join(keys.dir, 'root.json')}: a root PRIVATE key is on the online server; production keeps it offline (tongxing keys init --root-only on an offline machine): move this file off the server, see ${CEREMONY}`
		);
	}
	if (!keys.issuers().some((k) => k.status === 'active' && k.notBefore <= nowSec && nowSec < k.notAfter)) {
		throw new StartupError(
			`no issuer key that signs now in ${keys.dir}: run \`tongxing keys request --out FILE\` and the offline signing, see ${CEREMONY}`
		);
	}
	const root = readRootPublicKey(dataDir);
	if (!root || root.length !== 32) {
		throw new StartupError(
			`${rootPublicKeyPath(dataDir)}: no pinned root public key: install a signed trust list (tongxing keys install-trust-list FILE --root-public-key FILE), see ${CEREMONY}`
		);
	}
	// a federated region (docs/federation.md) stands on its root-signed certificate, not on a trust list
	const cert = readRegionCertificate(dataDir);
	if (cert) {
		const c = await openCertificate(cert, { rootPublicKey: root, backend: createNodeBackend() });
		const authority = readAuthorityKey(dataDir);
		if (!c.ok || c.value.role !== 'region')
			throw new StartupError(`${regionCertificatePath(dataDir)}: ${c.ok ? 'not a region certificate' : c.detail}`);
		if (nowSec > c.value.notAfter)
			throw new StartupError(`${regionCertificatePath(dataDir)}: the region certificate expired: renew it (docs/federation.md)`);
		if (!authority || authority.publicKey !== c.value.authority)
			throw new StartupError(
				`${regionCertificatePath(dataDir)}: does not certify this server's authority key (DATA_DIR/keys/authority.json)`
			);
		return;
	}
	const listPath = trustListPath(dataDir);
	if (!existsSync(listPath)) {
		throw new StartupError(`${listPath}: no signed trust list: run \`tongxing keys install-trust-list FILE\`, see ${CEREMONY}`);
	}
	const opened = await openTrustList(new Uint8Array(readFileSync(listPath)), { rootPublicKey: root, backend: createNodeBackend() });
	if (!opened.ok) throw new StartupError(`${listPath}: ${opened.detail}`);
	const missing = uncoveredKeys(keys, opened.list, nowSec);
	if (missing.length)
		throw new StartupError(`${listPath}: ${missing.join('; ')}: sign and install a list for this server's current request`);
}
