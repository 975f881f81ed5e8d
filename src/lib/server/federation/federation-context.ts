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

/**
 * `uploads`: the context of the gateway's upload routes — each region's uploads spend its budget
 * (gateway-upload-limit.ts). A region taking documents into its own copy (publish, mirror) counts nothing: a mirror
 * catching up after a day offline takes hundreds of one region's deltas in one run.
 */
export function federationContext(deps: Pick<IssuerDeps, 'db' | 'dataDir' | 'clock'>, opts: { uploads?: boolean } = {}): FederationContext {
	const rootPublicKey = readRootPublicKey(deps.dataDir);
	if (!rootPublicKey || rootPublicKey.length !== 32)
		throw new DomainError('gateway/unavailable', { retryAfterSeconds: 60, detail: 'no national root public key pinned here yet' });
	return { db: deps.db, rootPublicKey, backend, now: deps.clock(), ...(opts.uploads ? { limitUploads: true } : {}) };
}
