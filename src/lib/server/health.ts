/**
 * Readiness as operators and load balancers need it: not just "the process answers" but whether it can do its
 * work — the database answers, a signing key is active for the region now, the trust list and this region's
 * status list are published, and which SMS sender one-time codes go through. Any part down → `ok: false`
 * (the route answers 503, so a balancer takes the instance out). Nothing personal, no secrets.
 */
import { existsSync, statSync } from 'node:fs';
import type { IssuerDeps } from './issuer/deps.js';
import { statusListPath, trustListPath } from './keys/published.js';
import { pingDatabase } from './store/health.js';
import { regionCertificatePath } from './keys/region-certificate-files.js';
import { rootPublicKeyPath } from './keys/published.js';

export interface HealthReport {
	ok: boolean;
	database: { ok: boolean; error?: string };
	keys: { ok: boolean; region: string; activeIssuerKid: string | null; activeUntil: number | null };
	lists: { ok: boolean; trustListPublishedAt: number | null; statusListPublishedAt: number | null };
	sms: { sender: string; production: boolean };
}

const publishedAt = (path: string): number | null => (existsSync(path) ? Math.floor(statSync(path).mtimeMs) : null);

export async function healthReport(deps: IssuerDeps): Promise<HealthReport> {
	const now = deps.clock();
	let database: HealthReport['database'] = { ok: true };
	try {
		await pingDatabase(deps.db);
	} catch (e) {
		database = { ok: false, error: e instanceof Error ? e.message.slice(0, 200) : 'unreachable' };
	}
	const region = deps.config.region;
	const sms = { sender: deps.sms.name, production: deps.sms.name !== 'demo-outbox' };
	if (deps.config.role === 'gateway') {
		// a gateway signs nothing: it needs its database and the pinned national root to check uploads against
		const root = publishedAt(rootPublicKeyPath(deps.dataDir));
		const keys = { ok: root !== null, region: 'gateway', activeIssuerKid: null, activeUntil: null };
		const lists = { ok: root !== null, trustListPublishedAt: root, statusListPublishedAt: null };
		return { ok: database.ok && keys.ok, database, keys, lists, sms };
	}
	const active = deps.keys.activeIssuer(region, Math.floor(now / 1000));
	const keys = {
		ok: active !== undefined,
		region,
		activeIssuerKid: active?.kid ?? null,
		activeUntil: active ? active.notAfter * 1000 : null
	};
	// a federated region publishes no root-signed trust list of its own: its certificate stands for it
	const trust = publishedAt(trustListPath(deps.dataDir)) ?? publishedAt(regionCertificatePath(deps.dataDir));
	const status = publishedAt(statusListPath(deps.dataDir, region));
	const lists = { ok: trust !== null && status !== null, trustListPublishedAt: trust, statusListPublishedAt: status };
	// The demo outbox writes codes to the log (sms above): fine for a demo, never for residents.
	return { ok: database.ok && keys.ok && lists.ok, database, keys, lists, sms };
}
