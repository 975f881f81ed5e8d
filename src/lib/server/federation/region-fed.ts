/**
 * What a region needs to take part in the fact exchange, built once per process (app.ts) or by a test: its
 * services' deps, its exchange key as a signer, the national routing key, how to look up other regions' exchange
 * keys, and the way to the gateway.
 */
import type { Ed25519Backend } from '../../core/ed25519/ed25519.js';
import type { ExchangeKeys } from '../../core/federation/exchange-keys.js';
import type { RegionSigner } from '../../core/federation/region-message.js';
import type { IssuerDeps } from '../deps.js';
import type { GatewayTransport } from './transport.js';

export interface RegionFed {
	deps: IssuerDeps;
	signer: RegionSigner;
	nationalKey: Uint8Array;
	keys: ExchangeKeys;
	backend: Ed25519Backend;
	transport: GatewayTransport;
	/** [0, 1): the retry jitter (tests pass a fixed one) */
	random?: () => number;
}

export const regionOf = (fed: RegionFed): string => fed.signer.region;
