/**
 * The FederationContext of a running server (gateway or region): its database, the pinned national root (from
 * the onboarding ceremony, DATA_DIR/public/root-public-key.txt) and node:crypto.
 */
import type { IssuerDeps } from '../deps.js';
import { DomainError } from '../domain-error.js';
import { createNodeBackend } from '../crypto/node-ed25519.js';
import { readRootPublicKey } from '../keys/published.js';
import type { FederationContext } from './gateway-trust.js';

const backend = createNodeBackend();

export function federationContext(deps: Pick<IssuerDeps, 'db' | 'dataDir' | 'clock'>): FederationContext {
	const rootPublicKey = readRootPublicKey(deps.dataDir);
	if (!rootPublicKey || rootPublicKey.length !== 32)
		throw new DomainError('gateway/unavailable', { retryAfterSeconds: 60, detail: 'no national root public key pinned here yet' });
	return { db: deps.db, rootPublicKey, backend, now: deps.clock() };
}
