/**
 * Two regions and a gateway in one process, for the fact-exchange tests and the bench: each region a real issuer
 * (issuerFixture: its own SQLite file), the gateway its own SQLite file (or PostgreSQL schema), exchange keys in
 * a fixed map (fed-trust's region certificates stand behind ExchangeKeys in production), the same national
 * routing key in both regions, and a transport that can be switched off to play the gateway down.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kidOf } from '../core/kid.js';
import { fixedExchangeKeys } from '../core/federation/exchange-keys.js';
import type { RegionSigner } from '../core/federation/region-message.js';
import { createNodeBackend, nodeKeyPair } from '../server/crypto/node-ed25519.js';
import type { GatewayFactDeps } from '../server/federation/gateway-facts.js';
import type { RegionFed } from '../server/federation/region-fed.js';
import { localTransport } from '../server/federation/transport.js';
import { openDatabase } from '../server/store/open.js';
import { dropPostgresSchema } from '../server/store/drop-pg-schema.js';
import { issuerFixture, T0, type IssuerFixture } from './issuer-fixture.js';

export const REGION_A = '440300';
export const REGION_B = '110105';

export interface FedSide {
	f: IssuerFixture;
	fed: RegionFed;
}

export interface FederationFixture {
	a: FedSide;
	b: FedSide;
	gw: GatewayFactDeps;
	gatewayClock: { now: number };
	/** true: every call to the gateway fails as if it were unreachable */
	down: { gateway: boolean };
	signers: Map<string, RegionSigner>;
	nationalKey: Uint8Array;
	close(): Promise<void>;
}

export function regionSigner(region: string, seed = randomBytes(32)): RegionSigner & { publicKey: Uint8Array } {
	const pair = nodeKeyPair(seed);
	return { region, kid: kidOf(pair.publicKey), sign: pair.sign, publicKey: pair.publicKey };
}

export async function federationFixture(opts: { databaseUrl?: string } = {}): Promise<FederationFixture> {
	const nationalKey = new Uint8Array(randomBytes(32));
	const sa = regionSigner(REGION_A);
	const sb = regionSigner(REGION_B);
	const keys = fixedExchangeKeys(
		new Map([
			[REGION_A, sa.publicKey],
			[REGION_B, sb.publicKey]
		])
	);
	const backend = createNodeBackend();
	const dir = mkdtempSync(join(tmpdir(), 'tongxing-gateway-'));
	const pgSchema = opts.databaseUrl ? `gw_test_${randomBytes(6).toString('hex')}` : undefined;
	const opened = await openDatabase(
		opts.databaseUrl && pgSchema ? { databaseUrl: opts.databaseUrl, pgSchema } : { dataDir: dir, databaseUrl: '' }
	);
	const gatewayClock = { now: T0 };
	const gw: GatewayFactDeps = { db: opened.db, clock: () => gatewayClock.now, keys, backend };
	const down = { gateway: false };
	const transport = localTransport(gw, () => down.gateway);
	const side = async (signer: RegionSigner): Promise<FedSide> => {
		const f = await issuerFixture({ region: signer.region });
		f.deps.nationalIdKey = nationalKey;
		return { f, fed: { deps: f.deps, signer, nationalKey, keys, backend, transport, random: () => 0.5 } };
	};
	const a = await side(sa);
	const b = await side(sb);
	return {
		a,
		b,
		gw,
		gatewayClock,
		down,
		signers: new Map([
			[REGION_A, sa],
			[REGION_B, sb]
		]),
		nationalKey,
		async close() {
			await a.f.close();
			await b.f.close();
			await opened.close();
			if (opts.databaseUrl && pgSchema) await dropPostgresSchema(opts.databaseUrl, pgSchema);
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
