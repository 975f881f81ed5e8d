/**
 * Thousands of simulated phones and scanners in one Node process, each running the PWAs' own client code
 * (src/lib/client): every device has its own IndexedDB (a fake-indexeddb IDBFactory of its own, so no device can
 * see another's data), its own cookie jar and its own network state. The client modules reach for one database
 * and the global `fetch`; an AsyncLocalStorage says which device the current call chain belongs to, so the
 * seams in the client code stay one function each (db.ts useResidentDbSource / useScannerDbSource).
 *
 * What the browser gives a page and Node does not is injected here, minimally: `fetch` with relative URLs, the
 * device's cookies, `Sec-Fetch-Site: same-origin` (what a browser sends on the PWA's own requests), an
 * `X-Forwarded-For` per device (phones come from many addresses; the drill's servers trust 127.0.0.1 as a proxy,
 * so per-address rate limits see one address per phone), and an offline switch that fails like a browser
 * offline (TypeError). `navigator` is an empty object (no Web Locks: each simulated device runs one sync at a time).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { useResidentDbSource, type ResidentDb } from '../../../src/lib/client/resident/db.js';
import { useScannerDbSource, type ScannerDb } from '../../../src/lib/client/scanner/db.js';
import { useDeviceClock } from '../../../src/lib/client/resident/device-clock.js';

/** Answers the drill counts across every device: latency per request and status counts. */
export class NetStats {
	readonly latencies: number[] = [];
	readonly statuses = new Map<number, number>();
	requests = 0;
	/** refused connections, timeouts, resets: status 0 */
	networkErrors = 0;
	add(status: number, ms: number): void {
		this.requests++;
		if (status === 0) this.networkErrors++;
		else this.latencies.push(ms);
		this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
	}
	count(pred: (status: number) => boolean): number {
		let n = 0;
		for (const [s, c] of this.statuses) if (pred(s)) n += c;
		return n;
	}
	reset(): void {
		this.latencies.length = 0;
		this.statuses.clear();
		this.requests = 0;
		this.networkErrors = 0;
	}
}

export interface DeviceNet {
	/** where the device's relative URLs go (a server, or the drill's proxy); read per request, so it can move */
	origin: () => string;
	online: boolean;
	readonly forwardedFor: string;
	readonly cookies: Map<string, string>;
	/** requests this device made */
	requests: number;
	stats: NetStats;
}

export interface DeviceContext {
	readonly name: string;
	readonly net: DeviceNet;
	readonly residentDb?: ResidentDb;
	readonly scannerDb?: ScannerDb;
	/** the device's own clock (a phone's may be wrong); the machine's when absent */
	readonly now?: () => number;
}

const current = new AsyncLocalStorage<DeviceContext>();
const nodeFetch = globalThis.fetch;

/** Runs `fn` as `device`: the client code it calls uses that device's database, cookies and network. */
export function inDevice<T>(device: DeviceContext, fn: () => Promise<T>): Promise<T> {
	return current.run(device, fn);
}

function device(): DeviceContext {
	const d = current.getStore();
	if (!d) throw new Error('client code called outside inDevice(): which simulated device is this?');
	return d;
}

/** The device's per-request timeout, like a phone's network stack giving up (the client code sets its own where it has one). */
const REQUEST_TIMEOUT_MS = 30_000;

async function deviceFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
	const d = current.getStore();
	if (!d) return nodeFetch(input, init);
	if (!d.net.online) throw new TypeError('Failed to fetch'); // what a browser offline throws
	const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url, d.net.origin());
	const headers = new Headers(init.headers);
	if (d.net.cookies.size) headers.set('cookie', [...d.net.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
	headers.set('sec-fetch-site', 'same-origin');
	headers.set('x-forwarded-for', d.net.forwardedFor);
	const { cache: _cache, credentials: _credentials, ...rest } = init;
	d.net.requests++;
	const t0 = performance.now();
	try {
		const res = await nodeFetch(url, { ...rest, headers, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
		for (const c of res.headers.getSetCookie()) {
			const [pair] = c.split(';');
			const eq = pair!.indexOf('=');
			if (eq <= 0) continue;
			const value = pair!.slice(eq + 1);
			if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '') d.net.cookies.delete(pair!.slice(0, eq));
			else d.net.cookies.set(pair!.slice(0, eq), value);
		}
		d.net.stats.add(res.status, performance.now() - t0);
		return res;
	} catch (e) {
		d.net.stats.add(0, performance.now() - t0);
		throw e instanceof TypeError ? e : new TypeError('Failed to fetch');
	}
}

let installed = false;

/** Points the client code's database lookups and `fetch` at the current simulated device. Idempotent. */
export function installDrillGlobals(): void {
	if (installed) return;
	installed = true;
	useResidentDbSource(() => {
		const db = device().residentDb;
		if (!db) throw new Error(`${device().name} is not a phone`);
		return db;
	});
	useScannerDbSource(() => {
		const db = device().scannerDb;
		if (!db) throw new Error(`${device().name} is not a scanner`);
		return db;
	});
	useDeviceClock(() => current.getStore()?.now?.() ?? Date.now());
	globalThis.fetch = deviceFetch;
	if (!('navigator' in globalThis)) Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true });
}

/** A private address per device for X-Forwarded-For (10.0.0.0/8: never a real client). */
export function deviceAddress(n: number): string {
	return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export function newNet(origin: () => string, n: number, stats: NetStats): DeviceNet {
	return { origin, online: true, forwardedFor: deviceAddress(n), cookies: new Map(), requests: 0, stats };
}
