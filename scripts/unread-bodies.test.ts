/**
 * A handler that answers before reading the request body (a 401 for a missing session, a 413 by content-length)
 * must not leave the connection unusable: SvelteKit's request stream (getRequest, as adapter-node builds it) pauses
 * the socket once its queue is full, so the unread rest of the body blocked the next request on that keep-alive
 * connection, and the client's next request failed with ECONNRESET ("Failed to fetch" in a page).
 */
import { createServer, request as httpRequest, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequest } from '@sveltejs/kit/node';
import { afterEach, describe, expect, it } from 'vitest';
import { drainLimit, drainUnreadBodies } from './unread-bodies.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/**
 * A server that builds SvelteKit's Request and answers 401 without reading its body (as an auth check does).
 * Without drainUnreadBodies the second request below hangs (measured: the test times out).
 */
async function earlyAnswering(): Promise<number> {
	server = createServer((req, res) => {
		// the Request is built (its body stream starts reading the socket) and never read
		void getRequest({ request: req, base: 'http://127.0.0.1', bodySizeLimit: 512 * 1024 }).then(() => {
			res.writeHead(401, { 'content-type': 'application/problem+json' });
			res.end('{"code":"auth/session"}');
		});
	});
	drainUnreadBodies(server);
	await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
	return (server.address() as AddressInfo).port;
}

/** POSTs over one keep-alive connection; the status, or the socket error's code. */
function post(port: number, agent: Agent, body: string): Promise<number | string> {
	return new Promise((done) => {
		const req = httpRequest(
			{ port, host: '127.0.0.1', method: 'POST', path: '/api/v1/scans', agent, headers: { 'content-type': 'application/json' } },
			(res) => {
				res.resume();
				res.on('end', () => done(res.statusCode ?? 0));
			}
		);
		req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
		req.end(body);
	});
}

const big = JSON.stringify({ events: Array(40_000).fill('x') }); // ~160 kB: more than the stream's queue takes

describe('drainUnreadBodies', () => {
	it('keeps a keep-alive connection usable after an answer given before the body was read', async () => {
		const port = await earlyAnswering();
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		try {
			expect(await post(port, agent, big)).toBe(401);
			expect(await post(port, agent, big)).toBe(401);
			expect(await post(port, agent, '{}')).toBe(401);
		} finally {
			agent.destroy();
		}
	});

	it('drains up to the server’s BODY_SIZE_LIMIT, parsed as adapter-node parses it', () => {
		expect(drainLimit({})).toBe(512 * 1024);
		expect(drainLimit({ BODY_SIZE_LIMIT: '64M' })).toBe(64 * 1024 * 1024);
		expect(drainLimit({ BODY_SIZE_LIMIT: '2k' })).toBe(2048);
		expect(drainLimit({ BODY_SIZE_LIMIT: '1000' })).toBe(1000);
		expect(drainLimit({ BODY_SIZE_LIMIT: 'Infinity' })).toBe(Infinity);
	});
});
