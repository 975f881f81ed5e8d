/**
 * What the server's services need, passed explicitly (tests build their own; the app builds one per process in
 * app.ts). Time comes from `clock` so tests can move it. Lives at the root of src/lib/server, below every
 * service folder, so that any of them can take it without importing another (issuer/deps.ts re-exports it).
 */
import type { Store } from './store/db.js';
import type { KeyStore } from './keys/keystore.js';
import type { SmsSender } from './auth/sms.js';
import type { OpenOptions } from './store/open.js';

export interface IssuerConfig {
	/** Region this issuer serves (GB/T 2260). */
	region: string;
	/** Validity of one code; the next code is pre-issued to follow it. Default 24 h. */
	codeValidityMs: number;
	/** Validity of a printed paper code (TONGXING_PAPER_VALIDITY_DAYS, issuer/paper-validity.ts). Default 7 days. */
	paperValidityMs?: number;
	/** Overlap between the current code's end and the next code's start. */
	codeOverlapMs: number;
	/** Cap on family/proxy members per account. */
	maxMembers: number;
	/** Demo mode: dev SMS outbox, seeded register. */
	demo: boolean;
	/** A staff action recolouring more residents than this needs a second staff member's approval (TONGXING_APPROVAL_THRESHOLD, default 100; proposals/). */
	approvalThreshold?: number;
	/** Hours an urgent risk area may stay in effect unapproved before it lapses (TONGXING_URGENT_APPROVAL_HOURS, default 4). */
	urgentApprovalHours?: number;
	/** One sign-in code per phone per this long (TONGXING_OTP_COOLDOWN_SECONDS, 1–600, default 60; auth/otp.ts). */
	otpCooldownMs?: number;
	/** TONGXING_ROLE: a regional issuer (default) or the national gateway (issue 14, docs/federation.md). */
	role?: 'region' | 'gateway';
	/** TONGXING_GATEWAY_URL: this region's gateway; absent = single region, no federation. */
	gatewayUrl?: string;
}

/** The identity sources a declaration is cross-checked against (issuer/cross-check.ts). */
export interface CrossCheckSources {
	/** The registered name's HMAC and region for an ID-number HMAC, or null when unknown. */
	householdRegister(idHmac: string): Promise<{ nameHmac: string; region: string } | null>;
	/** The ID-number HMAC the phone is registered to, or null when unknown. */
	phoneOwner(phoneHmac: string): Promise<string | null>;
}

export interface IssuerDeps {
	db: Store;
	dataDir: string;
	keys: KeyStore;
	hmacKey: Uint8Array;
	/** AES-256-GCM key for stored phones (secrets.ts phoneKey, crypto/phone-seal.ts) */
	phoneKey: Uint8Array;
	sms: SmsSender;
	sources: CrossCheckSources;
	config: IssuerConfig;
	clock: () => number;
	/**
	 * How to open a second connection to the same database (the server sets it, app.ts): file imports then run in a
	 * worker thread on their own connection (sources/import-thread.ts). Absent (tests, tools): on this thread.
	 */
	databaseOptions?: OpenOptions;
	/**
	 * The national routing key (federation/national-id-key.ts), when this region takes part in the fact exchange
	 * (docs/federation.md §Facts): records then carry their person's routing hash and facts about people who are
	 * not residents here are queued for their home region. Absent: a single region, nothing leaves.
	 */
	nationalIdKey?: Uint8Array;
}

/** A paper code's validity unless TONGXING_PAPER_VALIDITY_DAYS says otherwise (issuer/paper-validity.ts). */
export const DEFAULT_PAPER_VALIDITY_MS = 7 * 86_400_000;

export const DEFAULT_CONFIG: Omit<IssuerConfig, 'region' | 'demo'> = {
	codeValidityMs: 24 * 3_600_000,
	paperValidityMs: DEFAULT_PAPER_VALIDITY_MS,
	codeOverlapMs: 3_600_000,
	maxMembers: 10
};
