/**
 * A real issuer for service tests: a fresh SQLite file (or TEST_DATABASE_URL's PostgreSQL is not used here:
 * the storage contract suite covers both engines), real keys, the demo register, an SMS sender that keeps
 * messages in memory, and a clock the test moves.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/store/open.js';
import { KeyStore } from '../server/keys/keystore.js';
import { initKeys } from '../server/keys/published.js';
import { databaseSources, type CrossCheckSources } from '../server/issuer/cross-check.js';
import { DEFAULT_CONFIG, type IssuerDeps } from '../server/issuer/deps.js';
import { seedDemoRegister } from '../../demo/seed-register.js';

export const T0 = Date.UTC(2026, 10, 29, 1, 0, 0);

export interface IssuerFixture {
	deps: IssuerDeps;
	sms: { phone: string; text: string }[];
	clock: { now: number };
	/** The last one-time code sent to a phone. */
	lastCode: (phone: string) => string;
	close: () => Promise<void>;
}

export async function issuerFixture(
	over: { sources?: (base: CrossCheckSources) => CrossCheckSources; region?: string } = {}
): Promise<IssuerFixture> {
	const region = over.region ?? '440300';
	const dir = mkdtempSync(join(tmpdir(), 'tongxing-issuer-'));
	const opened = await openDatabase({ dataDir: dir, databaseUrl: '' });
	const db = opened.db;
	const keys = new KeyStore(dir);
	await initKeys(keys, dir, { region, validDays: 365, nowSec: Math.floor(T0 / 1000) - 86400 });
	const hmacKey = new Uint8Array(randomBytes(32));
	await seedDemoRegister(db, hmacKey, T0);
	const clock = { now: T0 };
	const sms: { phone: string; text: string }[] = [];
	const base = databaseSources(db);
	const deps: IssuerDeps = {
		db,
		dataDir: dir,
		keys,
		hmacKey,
		phoneKey: new Uint8Array(randomBytes(32)),
		sms: { name: 'test-recorder', send: (phone, text) => (sms.push({ phone, text }), Promise.resolve()) },
		sources: over.sources ? over.sources(base) : base,
		config: { ...DEFAULT_CONFIG, region, demo: true },
		clock: () => clock.now
	};
	return {
		deps,
		sms,
		clock,
		lastCode(phone) {
			const m = [...sms].reverse().find((s) => s.phone === phone);
			const code = m && /\d{6}/.exec(m.text)?.[0];
			if (!code) throw new Error(`no code sent to ${phone}`);
			return code;
		},
		async close() {
			await opened.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
