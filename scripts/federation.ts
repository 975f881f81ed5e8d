/**
 * `npm run federation` (= `tongxing federation demo`): a national gateway and two regional issuers on loopback,
 * each with its own DATA_DIR (and SQLite database) under data/federation/, onboarded by the ceremony of
 * docs/federation.md run automatically: one national root (data/federation/root, which in production is an
 * offline machine), certificates for both regions and the gateway, the national routing key copied to each region
 * as keys/national-id.key. Each region is seeded with its own demo city (src/demo/city/presets.ts: 110100's people
 * have their own ID numbers and phones; every resident is registered with the gateway for routing), publishes to /
 * mirrors from the gateway every 10 s and exchanges facts every 5 s. Then the demo commuters (src/demo/commuters.ts:
 * residents of 110100 whose phone and trajectory 440300's carrier holds) are pushed through both regions' source
 * APIs, and it prints where to open each app and which commuter to try. Ctrl-C stops all three.
 *
 * Environment: FEDERATION_PORT (default 3100: gateway 3100, region 440300 on 3101, region 110100 on 3102),
 * FEDERATION_RESIDENTS (default 2000 per region), FEDERATION_DIR (default data/federation).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/lib/server/store/open.js';
import { KeyStore } from '../src/lib/server/keys/keystore.js';
import {
	certify,
	ensureNationalIdKey,
	gatewayRequest,
	initNationalRoot,
	installFederationDocument,
	regionRequest
} from '../src/lib/server/federation/ceremony.js';
import { isFederatedRegion } from '../src/lib/server/keys/region-certificate-files.js';
import { fromBase64Url } from '../src/lib/core/bytes.js';
import { readFileSync } from 'node:fs';
import { COMMUTER_HOME, COMMUTER_WORK, COMMUTERS, commuterRecords } from '../src/demo/commuters.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEMO_REGIONS = [
	{ region: '440300', name: '深圳 Shenzhen' },
	{ region: '110100', name: '北京 Beijing' }
] as const;

export interface FederationLayout {
	dir: string;
	rootDir: string;
	gatewayDir: string;
	regionDirs: Record<string, string>;
}

export function federationLayout(dir = resolve(ROOT, process.env.FEDERATION_DIR ?? 'data/federation')): FederationLayout {
	return {
		dir,
		rootDir: join(dir, 'root'),
		gatewayDir: join(dir, 'gateway'),
		regionDirs: Object.fromEntries(DEMO_REGIONS.map((r) => [r.region, join(dir, `region-${r.region}`)]))
	};
}

/**
 * The whole onboarding ceremony for the demo, idempotent: a region or gateway already certified is left alone.
 * `rootDir` may be an existing key folder with root.json (the e2e uses region A's demo root as the national root).
 */
export async function onboard(layout: FederationLayout, opts: { regions?: readonly string[]; nowMs?: number } = {}): Promise<void> {
	const now = opts.nowMs ?? Date.now();
	const nowSec = Math.floor(now / 1000);
	if (!existsSync(join(layout.rootDir, 'root.json'))) initNationalRoot(layout.rootDir);
	const idKey = ensureNationalIdKey(layout.rootDir);
	const rootPublicKey = fromBase64Url(readFileSync(join(layout.rootDir, 'root-public-key.txt'), 'utf8').trim())!;
	const open = async (dataDir: string) => {
		mkdirSync(dataDir, { recursive: true });
		const opened = await openDatabase({ dataDir, databaseUrl: '' });
		return { opened, deps: { db: opened.db, dataDir, clock: () => now } };
	};
	const gateway = await open(layout.gatewayDir);
	try {
		const gwReq = gatewayRequest(layout.gatewayDir, 'national-gateway');
		await installFederationDocument(gateway.deps, await certify(layout.rootDir, gwReq, { nowSec, validDays: 365 }), { rootPublicKey });
		for (const region of opts.regions ?? DEMO_REGIONS.map((r) => r.region)) {
			const dataDir = layout.regionDirs[region] ?? join(layout.dir, `region-${region}`);
			const r = await open(dataDir);
			try {
				const req = await regionRequest(new KeyStore(dataDir), dataDir, { region, nowSec });
				const cert = await certify(layout.rootDir, req, { nowSec, validDays: 365 });
				await installFederationDocument(gateway.deps, cert, { rootPublicKey });
				if (!isFederatedRegion(dataDir)) await installFederationDocument(r.deps, cert, { rootPublicKey });
				// the national routing key, the same in every region (fed-facts: federation/national-id-key.ts)
				const target = join(dataDir, 'keys', 'national-id.key');
				if (!existsSync(target)) {
					copyFileSync(idKey, target);
					chmodSync(target, 0o600);
				}
			} finally {
				await r.opened.close();
			}
		}
	} finally {
		await gateway.opened.close();
	}
}

function ensureBuild(): void {
	if (existsSync(join(ROOT, 'build', 'index.js'))) return;
	const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The environment of one demo process. */
export function processEnv(
	role: 'gateway' | 'region',
	dataDir: string,
	port: number,
	extra: Record<string, string> = {}
): NodeJS.ProcessEnv {
	return {
		...process.env,
		HOST: '127.0.0.1',
		PORT: String(port),
		ORIGIN: `http://127.0.0.1:${port}`,
		DATA_DIR: dataDir,
		TONGXING_ROLE: role,
		TONGXING_FEDERATION_INTERVAL_MS: '10000',
		...extra
	};
}

/** Waits until `url` answers its health check (the demo's processes start in a few seconds). */
async function waitHealthy(url: string, timeoutMs = 120_000): Promise<boolean> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		const res = await fetch(`${url}/api/v1/health`).catch(() => null);
		if (res?.status === 200) return true;
		await new Promise((r) => setTimeout(r, 500));
	}
	return false;
}

/**
 * The commuters' records, pushed as each region's data sources push them (POST /api/v1/sources/…, a source key
 * made with `tongxing source add`): the home region's register and phones, the work region's phones and
 * trajectory. Idempotent (the push API upserts). Returns a health-source key of the work region for the printed
 * example.
 */
async function pushCommuters(cli: string, urls: Record<string, string>, dirs: Record<string, string>): Promise<string> {
	const key = (region: string, source: string) =>
		spawnSync(process.execPath, [cli, 'source', 'add', source], {
			cwd: ROOT,
			env: { ...process.env, DATA_DIR: dirs[region] },
			encoding: 'utf8'
		})
			.stdout.trim()
			.split('\n')
			.at(-1)!
			.trim();
	const push = async (region: string, source: string, kind: string, records: unknown[]) => {
		const res = await fetch(`${urls[region]}/api/v1/sources/${source}/${kind}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key(region, source)}`, 'content-type': 'application/json' },
			body: JSON.stringify({ records })
		});
		if (!res.ok) throw new Error(`commuters: ${region} ${source}/${kind} answered ${res.status}: ${await res.text()}`);
	};
	const r = commuterRecords(Date.now());
	await push(COMMUTER_HOME, 'public-security', 'register', r.home.register);
	await push(COMMUTER_HOME, 'carrier', 'phones', r.home.phones);
	await push(COMMUTER_WORK, 'carrier', 'phones', r.work.phones);
	await push(COMMUTER_WORK, 'carrier', 'trajectory', r.work.trajectory);
	return key(COMMUTER_WORK, 'health');
}

export async function runFederationDemo(): Promise<number> {
	const layout = federationLayout();
	const base = Number(process.env.FEDERATION_PORT ?? 3100);
	const residents = process.env.FEDERATION_RESIDENTS ?? '2000';
	ensureBuild();
	await onboard(layout);
	const cli = join(ROOT, 'bin', 'tongxing.js');
	const gatewayUrl = `http://127.0.0.1:${base}`;
	const children: ChildProcess[] = [];
	const start = (env: NodeJS.ProcessEnv, label: string) => {
		const child = spawn(process.execPath, [join(ROOT, 'build', 'index.js')], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
		child.on('exit', (code) => code && console.error(`${label} exited with ${code}`));
		children.push(child);
	};
	const stop = () => {
		for (const c of children) c.kill('SIGTERM');
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	start(processEnv('gateway', layout.gatewayDir, base), 'gateway');
	const lines = [`national gateway   ${gatewayUrl}/api/v1/gateway/trust   (DATA_DIR ${layout.gatewayDir})`];
	const urls: Record<string, string> = {};
	DEMO_REGIONS.forEach((r, i) => {
		const dataDir = layout.regionDirs[r.region]!;
		const env = processEnv('region', dataDir, base + 1 + i, { TONGXING_REGION: r.region, TONGXING_GATEWAY_URL: gatewayUrl });
		// each region's own demo city (src/demo/city/presets.ts: its districts, its own ID numbers, phones and demo
		// identities); a federated seed also lists every resident's routing hash for the gateway
		console.log(`\nregion ${r.region} ${r.name}:`);
		const seed = spawnSync(process.execPath, [cli, 'seed', '--if-empty', '--residents', residents], { cwd: ROOT, env, stdio: 'inherit' });
		if (seed.status !== 0) return;
		start(env, r.region);
		const url = `http://127.0.0.1:${base + 1 + i}`;
		urls[r.region] = url;
		lines.push(
			`region ${r.region} ${r.name.padEnd(12)} resident app ${url}/app   scanner ${url}/scan   console ${url}/console   (DATA_DIR ${dataDir})`
		);
	});
	const up = await Promise.all([gatewayUrl, ...Object.values(urls)].map((u) => waitHealthy(u)));
	if (up.includes(false) || Object.keys(urls).length !== DEMO_REGIONS.length) {
		console.error('federation demo: a process did not start (see above)');
		stop();
		return 1;
	}
	const healthKey = await pushCommuters(cli, urls, layout.regionDirs);
	const c = COMMUTERS[0]!;
	const home = urls[COMMUTER_HOME]!;
	const work = urls[COMMUTER_WORK]!;
	const sampledAt = new Date(Date.now() - 3_600_000).toISOString();
	console.log(
		[
			'',
			'Tongxing federation demo (docs/federation.md):',
			...lines.map((l) => '  ' + l),
			'',
			`Demo commuters — residents of ${COMMUTER_HOME} who work in ${COMMUTER_WORK} (registered with the gateway by ${COMMUTER_HOME};`,
			`${COMMUTER_WORK}'s carrier holds their phone and a week of daytime trajectory in ${COMMUTER_WORK}):`,
			...COMMUTERS.map((x) => `  ${x.name}  ${x.idNumber}  phone ${x.phone}`),
			'',
			`Try the traveller's day with ${c.name}:`,
			`  1. sign in at ${home}/app with phone ${c.phone} (the SMS code is in ${home}/api/v1/dev/outbox?phone=${c.phone}), declare, see the green code;`,
			`  2. scan it at ${COMMUTER_WORK}'s scanner ${work}/scan (enrolment code: \`DATA_DIR=${layout.regionDirs[COMMUTER_WORK]} node bin/tongxing.js guard enrol demo-library\`) — also offline;`,
			`  3. record a positive test for them in ${COMMUTER_WORK}:`,
			`     curl -X POST ${work}/api/v1/sources/health/tests -H 'authorization: Bearer ${healthKey}' -H 'content-type: application/json' \\`,
			`       -d '{"records":[{"idNumber":"${c.idNumber}","sampledAt":"${sampledAt}","result":"positive"}]}'`,
			`  4. within about half a minute (the demo's jobs run every 10 s) their code in ${home}/app turns red, the reason naming ${COMMUTER_WORK}; ${COMMUTER_WORK}'s scanner refuses the green one after its next refresh.`,
			'',
			'Ctrl-C stops all three.'
		].join('\n')
	);
	await Promise.all(children.map((ch) => new Promise((r) => ch.on('exit', r))));
	return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await runFederationDemo();
