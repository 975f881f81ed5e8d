/**
 * The fact exchange as the running server builds it (docs/federation.md §Facts), once per process:
 * - on a region with TONGXING_GATEWAY_URL and the national routing key: RegionFed (its exchange key as signer,
 *   the gateway over HTTP);
 * - on the gateway (TONGXING_ROLE=gateway): GatewayFactDeps for the /api/v1/gateway/facts… routes.
 * Other regions' exchange keys (`exchangeKeysFor`): from the root-signed region certificates held here (the gateway
 * installs them at onboarding; a region mirrors them with the national bundle — gateway-trust.ts regionExchangeKeys),
 * revocations and windows applied. Only where no certificate is held at all — a deployment without the onboarding
 * ceremony, e.g. two demo regions wired by hand — the keys an operator pinned in DATA_DIR/keys/exchange-keys.json
 * ({"440300": base64url public key, …}) are used instead; once any certificate is installed, pinned keys are ignored.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64Url } from '../../core/bytes.js';
import type { ExchangeKeys } from '../../core/federation/exchange-keys.js';
import { createNodeBackend } from '../crypto/node-ed25519.js';
import { DomainError } from '../domain-error.js';
import type { IssuerDeps } from '../deps.js';
import { signerFor } from '../keys/keystore.js';
import { loadOrCreateExchangeKey } from './exchange-key.js';
import type { GatewayFactDeps } from './gateway-facts.js';
import type { RegionFed } from './region-fed.js';
import { httpTransport } from './transport.js';
import { regionExchangeKeys } from './gateway-trust.js';
import { readRootPublicKey } from '../keys/published.js';
import { allCertificates } from '../store/federation-trust.js';

export const PINNED_EXCHANGE_KEYS_FILE = 'exchange-keys.json';

/** The pinned keys file, re-read when it changes (one stat per lookup). */
export function pinnedExchangeKeys(dataDir: string, own?: { region: string; publicKey: Uint8Array }): ExchangeKeys {
	const path = join(dataDir, 'keys', PINNED_EXCHANGE_KEYS_FILE);
	let cache: { stamp: string; keys: Map<string, Uint8Array> } | undefined;
	const load = (): Map<string, Uint8Array> => {
		const stamp = existsSync(path) ? String(statSync(path).mtimeMs) : 'none';
		if (cache?.stamp === stamp) return cache.keys;
		const keys = new Map<string, Uint8Array>();
		if (stamp !== 'none') {
			const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
			for (const [region, k] of Object.entries(raw)) {
				const bytes = typeof k === 'string' ? fromBase64Url(k) : null;
				if (bytes?.length === 32) keys.set(region, bytes);
			}
		}
		cache = { stamp, keys };
		return keys;
	};
	return {
		exchangeKey(region) {
			if (own && region === own.region) return Promise.resolve(own.publicKey);
			return Promise.resolve(load().get(region) ?? null);
		}
	};
}

/** Certificates first; the pinned file only while this server holds no certificate at all (see the top). */
export function exchangeKeysFor(deps: Pick<IssuerDeps, 'db' | 'dataDir'>, own?: { region: string; publicKey: Uint8Array }): ExchangeKeys {
	const pinned = pinnedExchangeKeys(deps.dataDir, own);
	const backend = createNodeBackend();
	return {
		async exchangeKey(region, at) {
			if (own && region === own.region) return own.publicKey;
			const rootPublicKey = readRootPublicKey(deps.dataDir);
			if (rootPublicKey?.length === 32 && (await allCertificates(deps.db)).length > 0)
				return regionExchangeKeys({ db: deps.db, rootPublicKey, backend }).exchangeKey(region, at);
			return pinned.exchangeKey(region, at);
		}
	};
}

let gateway: GatewayFactDeps | undefined;

export function gatewayFactDeps(deps: IssuerDeps): GatewayFactDeps {
	gateway ??= { db: deps.db, clock: deps.clock, keys: exchangeKeysFor(deps), backend: createNodeBackend() };
	return gateway;
}

let region: RegionFed | null | undefined;

/** This region's part in the exchange, or null when it has none (no gateway URL or no national routing key). */
export function regionFedFor(deps: IssuerDeps): RegionFed | null {
	if (region !== undefined) return region;
	const url = deps.config.gatewayUrl;
	if (!url || !deps.nationalIdKey || deps.config.role === 'gateway') return (region = null);
	const signer = signerFor(loadOrCreateExchangeKey(deps.dataDir));
	region = {
		deps,
		signer: { region: deps.config.region, kid: signer.kid, sign: signer.sign },
		nationalKey: deps.nationalIdKey,
		keys: exchangeKeysFor(deps, { region: deps.config.region, publicKey: signer.publicKey }),
		backend: createNodeBackend(),
		transport: httpTransport(url)
	};
	return region;
}

/** For the console's tracing actions: this region's exchange, or federation/not-configured. */
export function requireRegionFed(deps: IssuerDeps): RegionFed {
	const fed = regionFedFor(deps);
	if (!fed) throw new DomainError('federation/not-configured');
	return fed;
}
