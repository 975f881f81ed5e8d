/**
 * Two simulated devices in one process: each call chain sees its own IndexedDB, cookie jar and network state,
 * through the client code's own functions (the drill's zero-loss counts rely on this isolation).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScannerDb } from '../../../src/lib/client/scanner/db';
import { logStats, recordScan } from '../../../src/lib/client/scanner/scan-log';
import { inDevice, installDrillGlobals, NetStats, newNet, type DeviceContext } from './device-context';

let server: Server;
let origin = '';
const seen: { cookie: string | undefined; xff: string | undefined; site: string | undefined }[] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		seen.push({ cookie: req.headers.cookie, xff: req.headers['x-forwarded-for'] as string, site: req.headers['sec-fetch-site'] });
		res.writeHead(200, { 'set-cookie': `who=${req.url!.slice(1)}; Path=/; HttpOnly`, 'content-type': 'application/json' });
		res.end('{}');
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	installDrillGlobals();
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function scanner(n: number): DeviceContext {
	return {
		name: `s${n}`,
		net: newNet(() => origin, n, new NetStats()),
		scannerDb: new ScannerDb('tongxing-scanner', { indexedDB: new IDBFactory(), IDBKeyRange })
	};
}

describe('device context', () => {
	it('gives each device its own database, even with their calls interleaved', async () => {
		const [a, b] = [scanner(1), scanner(2)];
		const scan = (d: DeviceContext, k: number) =>
			inDevice(d, async () => {
				for (let i = 0; i < k; i++)
					await recordScan({ deviceId: d.name, venueId: 'v', scannedAt: i, codeId: null, verdict: 'valid', reason: 'ok' });
			});
		await Promise.all([scan(a, 3), scan(b, 5)]);
		expect((await inDevice(a, () => logStats())).lastSeq).toBe(3);
		expect((await inDevice(b, () => logStats())).lastSeq).toBe(5);
	});

	it('sends relative URLs to the device origin with its own cookies, address and same-origin marker; offline throws like a browser', async () => {
		const [a, b] = [scanner(3), scanner(4)];
		await inDevice(a, () => fetch('/a'));
		await inDevice(b, () => fetch('/b'));
		seen.length = 0;
		await inDevice(a, () => fetch('/again'));
		expect(seen[0]).toEqual({ cookie: 'who=a', xff: '10.0.0.3', site: 'same-origin' });
		expect(a.net.requests).toBe(2);
		b.net.online = false;
		await expect(inDevice(b, () => fetch('/x'))).rejects.toBeInstanceOf(TypeError);
	});

	it('refuses client code called outside any device', async () => {
		await expect(recordScan({ deviceId: 'd', venueId: 'v', scannedAt: 0, codeId: null, verdict: 'valid', reason: 'ok' })).rejects.toThrow(
			/outside inDevice/
		);
	});
});
