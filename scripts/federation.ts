/**
 * `npm run federation` (= `tongxing federation demo`): a national gateway and two regional issuers on loopback,
 * each with its own DATA_DIR (and SQLite database) under data/federation/, onboarded by the ceremony of
 * docs/federation.md run automatically: one national root (data/federation/root, which in production is an
 * offline machine), certificates for both regions and the gateway, the national routing key copied to each region
 * as keys/national-id.key. Each region is seeded with its own demo city and publishes to / mirrors from the
 * gateway every 10 s. Ctrl-C stops all three.
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
	start(processEnv('gateway', layout.gatewayDir, base), 'gateway');
	const lines = [`national gateway   ${gatewayUrl}/api/v1/gateway/trust   (DATA_DIR ${layout.gatewayDir})`];
	DEMO_REGIONS.forEach((r, i) => {
		const dataDir = layout.regionDirs[r.region]!;
		const env = processEnv('region', dataDir, base + 1 + i, { TONGXING_REGION: r.region, TONGXING_GATEWAY_URL: gatewayUrl });
		// each region's own demo city (the same generator, its own residents and keys)
		const seed = spawnSync(process.execPath, [cli, 'seed', '--if-empty', '--residents', residents], { cwd: ROOT, env, stdio: 'inherit' });
		if (seed.status !== 0) return;
		start(env, r.region);
		const url = `http://127.0.0.1:${base + 1 + i}`;
		lines.push(
			`region ${r.region} ${r.name.padEnd(12)} resident app ${url}/   scanner ${url}/scan   console ${url}/console   (DATA_DIR ${dataDir})`
		);
	});
	console.log(
		['', 'Tongxing federation demo (docs/federation.md):', ...lines.map((l) => '  ' + l), '', 'Ctrl-C stops all three.'].join('\n')
	);
	const stop = () => {
		for (const c of children) c.kill('SIGTERM');
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	await Promise.all(children.map((c) => new Promise((r) => c.on('exit', r))));
	return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await runFederationDemo();
