/**
 * A small round-robin HTTP proxy for the drill's two PostgreSQL-backed instances (scenario 3), standing in for a
 * city's load balancer. Each request goes to the next upstream; when the connection is refused (that instance is
 * down, nothing was sent) it tries the other one. A connection cut after the request went out is answered 502:
 * the request may have been handled, so only the client may decide to repeat it (the apps do, and the server's
 * writes are idempotent where it matters: scans by event id). X-Forwarded-For gets the proxy's peer appended, as
 * any proxy does; the instances trust 127.0.0.1 (servers.ts).
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Proxy {
	readonly origin: string;
	/** requests moved to the other instance because one refused the connection */
	failovers: number;
	/** requests answered 502 (no instance reachable, or a connection cut mid-way) */
	badGateway: number;
	close(): Promise<void>;
}

function forward(
	target: number,
	req: IncomingMessage,
	body: Buffer
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const xff = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
		const up = request(
			{ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': xff } },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
				res.on('error', reject);
			}
		);
		up.on('error', reject);
		up.end(body);
	});
}

export async function startProxy(upstreams: () => readonly number[]): Promise<Proxy> {
	let next = 0;
	const state = { failovers: 0, badGateway: 0 };
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => void relay(Buffer.concat(chunks)));
		const relay = async (body: Buffer) => {
			const ports = upstreams();
			const first = next++ % ports.length;
			for (let k = 0; k < ports.length; k++) {
				try {
					const r = await forward(ports[(first + k) % ports.length]!, req, body);
					res.writeHead(r.status, r.headers);
					res.end(r.body);
					return;
				} catch (e) {
					if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED' && k < ports.length - 1) {
						state.failovers++;
						continue;
					}
					break;
				}
			}
			state.badGateway++;
			res.writeHead(502, { 'content-type': 'application/problem+json' });
			res.end(JSON.stringify({ code: 'network/unavailable', title: 'bad gateway' }));
		};
	});
	server.keepAliveTimeout = 5_000;
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const port = (server.address() as AddressInfo).port;
	const proxy: Proxy = {
		origin: `http://127.0.0.1:${port}`,
		get failovers() {
			return state.failovers;
		},
		get badGateway() {
			return state.badGateway;
		},
		close: () =>
			new Promise<void>((r) => {
				server.closeAllConnections();
				server.close(() => r());
			})
	};
	return proxy;
}
