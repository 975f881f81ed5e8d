/**
 * What the issuer services need, passed explicitly (tests build their own; the app builds one per process
 * in ../app.ts). Time comes from `clock` so tests can move it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { KeyStore } from '../keys/keystore.js';
import type { SmsSender } from '../auth/sms.js';
import type { CrossCheckSources } from './cross-check.js';

export interface IssuerConfig {
	/** Region this issuer serves (GB/T 2260). */
	region: string;
	/** Validity of one code; the next code is pre-issued to follow it. Default 24 h. */
	codeValidityMs: number;
	/** Overlap between the current code's end and the next code's start. */
	codeOverlapMs: number;
	/** Cap on family/proxy members per account. */
	maxMembers: number;
	/** Demo mode: dev SMS outbox, seeded register. */
	demo: boolean;
}

export interface IssuerDeps {
	db: Kysely<Database>;
	dataDir: string;
	keys: KeyStore;
	hmacKey: Uint8Array;
	sms: SmsSender;
	sources: CrossCheckSources;
	config: IssuerConfig;
	clock: () => number;
}

export const DEFAULT_CONFIG: Omit<IssuerConfig, 'region' | 'demo'> = {
	codeValidityMs: 24 * 3_600_000,
	codeOverlapMs: 3_600_000,
	maxMembers: 10
};
