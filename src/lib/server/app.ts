/**
 * The issuer as the SvelteKit server sees it: one set of dependencies per process, built lazily on the first
 * request (database opened and migrated, keys created in demo mode, then in demo mode the first-start hook: the
 * demo register, venues and console account, which src/demo provides and the edge — hooks.server.ts, the CLI —
 * sets with setFirstStartHook, so the server itself never imports the demo).
 * Environment: DATA_DIR, DATABASE_URL, TONGXING_MODE (demo | production; default demo), TONGXING_REGION,
 * TONGXING_CODE_VALIDITY_HOURS (default 24, at most 48), TONGXING_HMAC_SECRET.
 */
import { databaseOptionsFromEnv, getDatabase } from './store/open.js';
import { dataDir as defaultDataDir } from './config.js';
import { demoOutbox, type SmsSender } from './auth/sms.js';
import { webhookSms } from './auth/sms-webhook.js';
import { StartupError } from './startup-error.js';
import { DomainError } from './domain-error.js';
import { KeyStore } from './keys/keystore.js';
import { checkKeyFiles } from './keys/check-key-files.js';
import { initKeys } from './keys/published.js';
import { databaseSources } from './issuer/cross-check.js';
import { DEFAULT_CONFIG, type IssuerDeps } from './deps.js';
import { hmacKey } from './secrets.js';
import { purgeExpired } from './store/retention.js';
import type { Store } from './store/db.js';
import { MAX_VALIDITY_SECONDS } from '../core/constants.js';

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
	const now = Date.now();
	if (!keys.hasRoot()) {
		if (!demo) throw new StartupError(`no keys in ${keys.dir}: run \`tongxing keys init\``);
		await initKeys(keys, dir, { region: env.TONGXING_REGION ?? '440300', validDays: 365, nowSec: Math.floor(now / 1000) });
	}
	const sms = smsSender(env, demo);
	const region = env.TONGXING_REGION ?? keys.issuers().find((k) => k.status === 'active')?.region ?? '440300';
	const { db } = await getDatabase();
	const key = hmacKey(dir, env);
	if (demo && firstStart) await firstStart(db, key, now);
	const hours = Number(env.TONGXING_CODE_VALIDITY_HOURS ?? 24);
	return {
		db,
		dataDir: dir,
		keys,
		hmacKey: key,
		sms: sms ?? demoOutbox(db),
		sources: databaseSources(db),
		config: { ...DEFAULT_CONFIG, codeValidityMs: (hours > 0 && hours <= MAX_PHONE_VALIDITY_HOURS ? hours : 24) * 3_600_000, region, demo },
		clock: () => Date.now(),
		// getDatabase() opened the database from the environment: an import worker opens the same one
		databaseOptions: databaseOptionsFromEnv(env)
	};
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
