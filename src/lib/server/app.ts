/**
 * The issuer as the SvelteKit server sees it: one set of dependencies per process, built lazily on the first
 * request (database opened and migrated, keys created in demo mode, then in demo mode the first-start hook: the
 * demo register, venues and console account, which src/demo provides and the edge — hooks.server.ts, the CLI —
 * sets with setFirstStartHook, so the server itself never imports the demo).
 * Environment: DATA_DIR, DATABASE_URL, TONGXING_MODE (demo | production; default demo), TONGXING_REGION,
 * TONGXING_CODE_VALIDITY_HOURS (default 24, at most 48), TONGXING_HMAC_SECRET, TONGXING_PHONE_KEY.
 */
import { databaseOptionsFromEnv, getDatabase } from './store/open.js';
import { dataDir as defaultDataDir, gatewayUrl, serverRole } from './config.js';
import { demoOutbox, type SmsSender } from './auth/sms.js';
import { webhookSms } from './auth/sms-webhook.js';
import { StartupError } from './startup-error.js';
import { otpConfig } from './auth/otp-config.js';
import { serverClock } from './demo-clock.js';
import { DomainError } from './domain-error.js';
import { KeyStore } from './keys/keystore.js';
import { checkKeyFiles } from './keys/check-key-files.js';
import { initKeys, readRootPublicKey } from './keys/published.js';
import { isFederatedRegion } from './keys/region-certificate-files.js';
import { checkProductionKeys } from './keys/production-keys.js';
import { databaseSources } from './issuer/cross-check.js';
import { DEFAULT_CONFIG, type IssuerDeps } from './deps.js';
import { hmacKey, phoneKey } from './secrets.js';
import { sealLegacyPhones } from './issuer/accounts.js';
import { paperValidityMs } from './issuer/paper-validity.js';
import { purgeExpired } from './store/retention.js';
import type { Store } from './store/db.js';
import { MAX_VALIDITY_SECONDS } from '../core/constants.js';
import { loadNationalIdKey, nationalIdKeyPath } from './federation/national-id-key.js';

let deps: Promise<IssuerDeps> | undefined;

/** Seeds data on every start (idempotent), given the open database, the HMAC key and the time. */
export type FirstStartHook = (db: IssuerDeps['db'], hmacKey: Uint8Array, nowMs: number) => Promise<void>;
let firstStart: FirstStartHook | undefined;

/** Set before the first issuer() call; run in demo mode only (a known console password must never reach production). */
export function setFirstStartHook(hook: FirstStartHook | undefined): void {
	firstStart = hook;
}

export function issuer(): Promise<IssuerDeps> {
	deps ??= build().catch((e: unknown) => {
		deps = undefined; // let the next request try again rather than caching a failure
		throw e;
	});
	return deps;
}

export function isDemo(env: NodeJS.ProcessEnv = process.env): boolean {
	return (env.TONGXING_MODE ?? 'demo') === 'demo';
}

async function build(): Promise<IssuerDeps> {
	const env = process.env;
	const dir = defaultDataDir(env);
	checkKeyFiles(dir, env); // a key file the server cannot use stops the start, naming the file
	const keys = new KeyStore(dir);
	const demo = isDemo(env);
	const clock = serverClock(env, demo);
	const now = clock();
	const role = roleFromEnv(env);
	const gateway = gatewayUrl(env);
	if (gateway && !/^https?:\/\//.test(gateway)) throw new StartupError(`TONGXING_GATEWAY_URL must be an http(s) URL: ${gateway}`);
	// demo: every key made here on first start. Production: the root private key is offline and the server holds
	// only its public key and the signed trust list; the server's start checks that (requireProductionKeys).
	// A gateway issues nothing (no issuer keys); a federated region's root is the national one, pinned by the
	// onboarding ceremony (keys/federation-ceremony.ts), never a root of its own.
	if (demo && role === 'region' && !keys.hasRoot() && !isFederatedRegion(dir)) {
		await initKeys(keys, dir, { region: env.TONGXING_REGION ?? '440300', validDays: 365, nowSec: Math.floor(now / 1000) });
	}
	const sms = smsSender(env, demo);
	const region = env.TONGXING_REGION ?? keys.issuers().find((k) => k.status === 'active')?.region ?? '440300';
	const { db } = await getDatabase();
	const key = hmacKey(dir, env);
	const phoneSealKey = phoneKey(dir, env);
	// accounts from before migration 013 get their phones sealed before any request is answered
	await sealLegacyPhones({ db, hmacKey: key, phoneKey: phoneSealKey });
	if (demo && role === 'region' && firstStart) await firstStart(db, key, now);
	const hours = Number(env.TONGXING_CODE_VALIDITY_HOURS ?? 24);
	const paperMs = paperValidityMs(env);
	return {
		db,
		dataDir: dir,
		keys,
		hmacKey: key,
		phoneKey: phoneSealKey,
		sms: sms ?? demoOutbox(db),
		sources: databaseSources(db),
		config: {
			...DEFAULT_CONFIG,
			codeValidityMs: (hours > 0 && hours <= MAX_PHONE_VALIDITY_HOURS ? hours : 24) * 3_600_000,
			paperValidityMs: paperMs,
			region,
			demo,
			role,
			...(gateway ? { gatewayUrl: gateway } : {}),
			...approvalConfig(env),
			...otpConfig(env)
		},
		clock,
		// getDatabase() opened the database from the environment: an import worker opens the same one
		databaseOptions: databaseOptionsFromEnv(env),
		// federation (docs/federation.md §Facts): the routing key when this region exchanges facts through a gateway
		...(env.TONGXING_GATEWAY_URL ? nationalIdKeyOf(dir) : {})
	};
}

/** A region with a gateway needs the national routing key (DATA_DIR/keys/national-id.key): without it no fact can be routed. */
function nationalIdKeyOf(dir: string): { nationalIdKey: Uint8Array } {
	const key = loadNationalIdKey(dir);
	if (!key)
		throw new StartupError(
			`TONGXING_GATEWAY_URL is set but ${nationalIdKeyPath(dir)} is missing (the national routing key, docs/federation.md)`
		);
	return { nationalIdKey: key };
}

/**
 * Who delivers one-time codes: the operator's gateway (TONGXING_SMS_WEBHOOK_URL, + TONGXING_SMS_WEBHOOK_TOKEN) when
 * configured; otherwise, in demo mode only, the demo outbox (undefined here: it needs the database). In production
 * without a gateway nothing is sent (NO_SMS) and the server refuses to start (requireSmsSender, hooks.server.ts):
 * the demo outbox would log every resident's one-time code. CLI commands, which send no SMS, still run.
 */
function smsSender(env: NodeJS.ProcessEnv, demo: boolean): SmsSender | undefined {
	const url = env.TONGXING_SMS_WEBHOOK_URL;
	if (url) {
		if (!/^https?:\/\//.test(url)) throw new StartupError(`TONGXING_SMS_WEBHOOK_URL must be an http(s) URL: ${url}`);
		return webhookSms(url, env.TONGXING_SMS_WEBHOOK_TOKEN);
	}
	return demo ? undefined : NO_SMS;
}

/** TONGXING_ROLE, a start-up error when it is neither region nor gateway. */
function roleFromEnv(env: NodeJS.ProcessEnv): 'region' | 'gateway' {
	try {
		return serverRole(env);
	} catch (e) {
		throw new StartupError((e as Error).message);
	}
}

const NO_SMS: SmsSender = {
	name: 'none',
	send: () => Promise.reject(new DomainError('sms/unavailable', { retryAfterSeconds: 60 }))
};

/** The server's start-up check: production must have a real SMS sender. */
export function requireSmsSender(deps: IssuerDeps): void {
	if (!deps.config.demo && deps.sms.name === NO_SMS.name) {
		throw new StartupError(
			'TONGXING_MODE=production needs an SMS sender: set TONGXING_SMS_WEBHOOK_URL (and TONGXING_SMS_WEBHOOK_TOKEN); the demo outbox would log every one-time code'
		);
	}
}

/**
 * The server's start-up check of production keys (keys/production-keys.ts): no root private key here, the pinned
 * root public key, a signed trust list naming this server's keys. Like requireSmsSender it is the server's, not
 * build()'s: CLI commands on the server (`keys compromise` re-issuing codes before the new list is signed offline,
 * `keys request`) must still run.
 */
export async function requireProductionKeys(deps: IssuerDeps): Promise<void> {
	if (deps.config.demo) return;
	// a gateway signs nothing: it needs only the pinned national root to check uploads against (docs/federation.md)
	if (deps.config.role === 'gateway') {
		if (!readRootPublicKey(deps.dataDir))
			throw new StartupError(
				'TONGXING_ROLE=gateway needs the national root pinned: tongxing federation install CERT --root-public-key FILE'
			);
		return;
	}
	await checkProductionKeys(deps.keys, deps.dataDir, Math.floor(deps.clock() / 1000));
}

/** TONGXING_APPROVAL_THRESHOLD (residents, ≥ 0) and TONGXING_URGENT_APPROVAL_HOURS (> 0); a bad value is a start-up error. */
function approvalConfig(env: NodeJS.ProcessEnv): { approvalThreshold?: number; urgentApprovalHours?: number } {
	const out: { approvalThreshold?: number; urgentApprovalHours?: number } = {};
	const t = env.TONGXING_APPROVAL_THRESHOLD;
	if (t !== undefined && t !== '') {
		if (!/^\d{1,9}$/.test(t)) throw new StartupError(`TONGXING_APPROVAL_THRESHOLD must be a whole number of residents: ${t}`);
		out.approvalThreshold = Number(t);
	}
	const h = env.TONGXING_URGENT_APPROVAL_HOURS;
	if (h !== undefined && h !== '') {
		const n = Number(h);
		if (!(n > 0 && n <= 168)) throw new StartupError(`TONGXING_URGENT_APPROVAL_HOURS must be a number of hours (0–168]: ${h}`);
		out.urgentApprovalHours = n;
	}
	return out;
}

/** Scanners refuse phone codes valid for longer (core/constants.ts MAX_VALIDITY_SECONDS): the issuer never signs one. */
const MAX_PHONE_VALIDITY_HOURS = MAX_VALIDITY_SECONDS.phone / 3600;

export const PURGE_INTERVAL_MS = 3_600_000;

/**
 * Retention (default 21 days for trajectories and scan logs): once at start, then hourly. Started by the
 * server (hooks.server.ts init), not by CLI commands. Never keeps the process alive.
 */
export function schedulePurge(db: Store): void {
	const run = () =>
		purgeExpired(db, Date.now()).catch((e: unknown) => console.error('retention purge failed', e instanceof Error ? e.message : e));
	void run();
	setInterval(() => void run(), PURGE_INTERVAL_MS).unref();
}
