/**
 * The multi-process setup the federation specs share (federation.spec.ts, federation-facts.spec.ts,
 * federation-traveller.spec.ts): a national gateway (TONGXING_ROLE=gateway) and two regional issuers, each
 * `node build` on 127.0.0.1 with its own DATA_DIR, onboarded by the ceremony (scripts/federation.ts onboard: one
 * national root, root-signed certificates for the gateway and both regions, the national routing key copied to
 * each region), every region publishing, mirroring and exchanging facts every `intervalMs` (the product's own
 * schedule setting, TONGXING_FEDERATION_INTERVAL_MS). Processes are started and stopped by PID; a spec can stop
 * one (the gateway, mid-way) and start it again on the same port and data.
 *
 * Ports: the first free ones in the spec's own range (other checkouts' specs may run side by side).
 * FEDERATION_E2E_LOG=1 copies the processes' stderr to the test's.
 */
import { expect } from '@playwright/test';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cborDecode } from '../src/lib/core/cbor.js';
import { parseCose } from '../src/lib/core/cose.js';
import { decodeTrustBundle } from '../src/lib/core/federation/trust-bundle.js';
import { federationLayout, onboard, processEnv, type FederationLayout } from '../scripts/federation.js';

export const ROOT = join(import.meta.dirname, '..');

/** The first `n` ports in [from, to] that are free now. */
export async function freePortsInRange(from: number, to: number, n: number): Promise<number[]> {
	const out: number[] = [];
	for (let p = from; p <= to && out.length < n; p++) {
		const free = await new Promise<boolean>((resolve) => {
			const s = createServer();
			s.once('error', () => resolve(false));
			s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
		});
		if (free) out.push(p);
	}
	if (out.length < n) throw new Error(`fewer than ${n} free ports in ${from}–${to}`);
	return out;
}

/** Waits until `url`'s health endpoint answers 200. */
export async function healthy(url: string, timeout = 60_000): Promise<void> {
	await expect
		.poll(async () => (await fetch(`${url}/api/v1/health`).catch(() => null))?.status ?? 0, { timeout, intervals: [250] })
		.toBe(200);
}

/** One `node build` process with its own data directory; stopped by its PID. */
export class FedProcess {
	#child: ChildProcess | null = null;
	readonly url: string;
	constructor(
		readonly name: string,
		readonly port: number,
		readonly dataDir: string,
		readonly env: NodeJS.ProcessEnv
	) {
		this.url = `http://127.0.0.1:${port}`;
	}
	get running(): boolean {
		return this.#child !== null && this.#child.exitCode === null;
	}
	async start(): Promise<void> {
		const child = spawn(process.execPath, [join(ROOT, 'build', 'index.js')], {
			cwd: ROOT,
			env: this.env,
			stdio: ['ignore', 'ignore', 'pipe']
		});
		child.stderr.on('data', (d: Buffer) => process.env.FEDERATION_E2E_LOG && process.stderr.write(`[${this.name}] ${d.toString()}`));
		this.#child = child;
		await healthy(this.url);
	}
	async stop(): Promise<void> {
		const child = this.#child;
		this.#child = null;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
	}
}

export interface Federation {
	layout: FederationLayout;
	gateway: FedProcess;
	/** by region code, in the order given */
	regions: Record<string, FedProcess>;
	start(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * Onboards a gateway and `regions` under `dir` (a fresh temporary folder by default; an existing one is emptied)
 * and prepares their processes; `start()` starts all three (gateway first) and waits until each is healthy.
 */
export async function federation(opts: {
	regions: readonly [string, string];
	/** the spec's own port range, e.g. [4431, 4439] */
	ports: readonly [number, number];
	intervalMs?: number;
	dir?: string;
}): Promise<Federation> {
	const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'tx-federation-'));
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const layout = federationLayout(dir);
	await onboard(layout, { regions: opts.regions });
	const [gwPort, ...regionPorts] = await freePortsInRange(opts.ports[0], opts.ports[1], 1 + opts.regions.length);
	const interval = String(opts.intervalMs ?? 1000);
	const gateway = new FedProcess(
		'gateway',
		gwPort!,
		layout.gatewayDir,
		processEnv('gateway', layout.gatewayDir, gwPort!, { TONGXING_FEDERATION_INTERVAL_MS: interval })
	);
	const regions: Record<string, FedProcess> = {};
	opts.regions.forEach((region, i) => {
		const dataDir = layout.regionDirs[region] ?? join(dir, `region-${region}`);
		layout.regionDirs[region] = dataDir;
		const port = regionPorts[i]!;
		regions[region] = new FedProcess(
			region,
			port,
			dataDir,
			processEnv('region', dataDir, port, {
				TONGXING_REGION: region,
				TONGXING_GATEWAY_URL: gateway.url,
				TONGXING_FEDERATION_INTERVAL_MS: interval
			})
		);
	});
	return {
		layout,
		gateway,
		regions,
		async start() {
			await gateway.start();
			await Promise.all(Object.values(regions).map((r) => r.start()));
		},
		async stop() {
			for (const p of [...Object.values(regions), gateway]) await p.stop();
		}
	};
}

/** A read-only query on a process's SQLite database (what an operator would look at; the server keeps writing). */
export function queryDb<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
	const db = new Database(join(dataDir, 'tongxing.sqlite'), { readonly: true, fileMustExist: true });
	try {
		return db.prepare(sql).all(...params) as T[];
	} finally {
		db.close();
	}
}

/**
 * What the national bundle served at `url` (a region's mirror, or the gateway's /api/v1/gateway/trust) holds:
 * how many key lists, and the newest status seq it holds for `region` (0: none).
 */
export async function bundleHolds(
	url: string,
	region: string,
	path = '/.well-known/tongxing/trust-bundle'
): Promise<{ keys: number; status: number }> {
	const res = await fetch(`${url}${path}`).catch(() => null);
	if (!res?.ok) return { keys: 0, status: 0 };
	const b = decodeTrustBundle(new Uint8Array(await res.arrayBuffer()));
	if (typeof b === 'string') return { keys: 0, status: 0 };
	let status = 0;
	for (const doc of b.statusLists) {
		const cose = parseCose(cborDecode(doc));
		const m = typeof cose === 'string' ? null : cborDecode(cose.payload);
		if (m instanceof Map && m.get('region') === region) status = Math.max(status, Number(m.get('seq')));
	}
	return { keys: b.keyLists.length, status };
}
