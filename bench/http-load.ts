/**
 * A small HTTP load generator on node:http (no dependencies), loopback only; every request has a timeout and
 * the run a fixed duration, so it always ends.
 * - closedLoop: N loops, each sends a request, waits for the whole response, sends the next — the offered load
 *   adapts to the server (latency = what a client waiting for its answer sees).
 * - openLoop: requests sent on a fixed schedule (R per second) whatever the answers do, as independent phones
 *   do; latency is measured from each request's scheduled time, so a stalled server is not hidden by the
 *   generator sending less (no coordinated omission).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpReply {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

export interface HttpRequest {
	method?: string;
	path: string;
	headers?: Record<string, string>;
	body?: string | Buffer;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** One request to 127.0.0.1:port; resolves with the full body. */
export function request(port: number, req: HttpRequest, agent?: http.Agent): Promise<HttpReply> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string | number> = { ...req.headers };
		if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
		const r = http.request(
			{
				host: '127.0.0.1',
				port,
				method: req.method ?? 'GET',
				path: req.path,
				headers,
				...(agent ? { agent } : {}),
				timeout: REQUEST_TIMEOUT_MS
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
				res.on('error', reject);
			}
		);
		r.on('timeout', () => r.destroy(new Error(`timeout after ${REQUEST_TIMEOUT_MS} ms: ${req.method ?? 'GET'} ${req.path}`)));
		r.on('error', reject);
		r.end(req.body);
	});
}

export async function requestJson<T>(
	port: number,
	req: HttpRequest,
	expectStatus: number,
	agent?: http.Agent
): Promise<{ body: T; reply: HttpReply }> {
	const reply = await request(port, req, agent);
	if (reply.status !== expectStatus)
		throw new Error(
			`${req.method ?? 'GET'} ${req.path}: ${reply.status}, expected ${expectStatus}: ${reply.body.toString('utf8').slice(0, 300)}`
		);
	return { body: (reply.body.length ? JSON.parse(reply.body.toString('utf8')) : null) as T, reply };
}

export interface LoadResult {
	/** Completed requests per second over the measured window. */
	rps: number;
	requests: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	/** Answers with another status than expected, or transport errors, in the measured window. */
	errors: number;
	firstError?: string;
	/** Every measured latency (ms), ascending: lets several runs be merged. */
	latencies: Float64Array;
	durationMs: number;
}

export interface LoadOptions {
	port: number;
	connections: number;
	warmupMs: number;
	durationMs: number;
	req: HttpRequest;
	expectStatus: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Runs `connections` closed loops against one request for warmupMs (not recorded) then durationMs (recorded:
 * requests that complete inside the window, wherever they started). One keep-alive Agent with maxSockets = connections.
 */
export async function closedLoop(o: LoadOptions): Promise<LoadResult> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
	const latencies: number[] = [];
	let errors = 0;
	let firstError: string | undefined;
	const t0 = performance.now();
	const measureFrom = t0 + o.warmupMs;
	const measureTo = measureFrom + o.durationMs;
	const loop = async () => {
		while (performance.now() < measureTo) {
			const start = performance.now();
			let ok: boolean;
			try {
				const r = await request(o.port, o.req, agent);
				ok = r.status === o.expectStatus;
				if (!ok) firstError ??= `status ${r.status}: ${r.body.toString('utf8').slice(0, 200)}`;
			} catch (e) {
				ok = false;
				firstError ??= e instanceof Error ? e.message : String(e);
			}
			const end = performance.now();
			if (end >= measureFrom && end <= measureTo) {
				if (ok) latencies.push(end - start);
				else errors++;
			}
		}
	};
	try {
		await Promise.all(Array.from({ length: o.connections }, loop));
	} finally {
		agent.destroy();
	}
	return summarise([
		{ latencies: Float64Array.from(latencies), errors, durationMs: o.durationMs, ...(firstError !== undefined ? { firstError } : {}) }
	]);
}

/** Merges runs of the same request (e.g. rounds interleaved with other endpoints) into one result. */
export function summarise(runs: Pick<LoadResult, 'latencies' | 'errors' | 'durationMs' | 'firstError'>[]): LoadResult {
	const all = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
	let at = 0;
	for (const r of runs) {
		all.set(r.latencies, at);
		at += r.latencies.length;
	}
	all.sort();
	const durationMs = runs.reduce((t, r) => t + r.durationMs, 0);
	const firstError = runs.find((r) => r.firstError !== undefined)?.firstError;
	return {
		rps: all.length / (durationMs / 1000),
		requests: all.length,
		p50Ms: percentile(all, 50),
		p99Ms: percentile(all, 99),
		maxMs: all.length ? all[all.length - 1]! : NaN,
		errors: runs.reduce((n, r) => n + r.errors, 0),
		...(firstError !== undefined ? { firstError } : {}),
		latencies: all,
		durationMs
	};
}

export interface OpenLoopOptions {
	port: number;
	/** Requests per second, sent on schedule. */
	rate: number;
	warmupMs: number;
	durationMs: number;
	req: HttpRequest;
	expectStatus: number;
}

/**
 * Sends `rate` requests per second for warmupMs + durationMs on one keep-alive Agent (sockets as needed, so a
 * request never waits for a free connection in the client). Records requests scheduled inside the measured
 * window; latency from the scheduled send time to the end of the response.
 */
export async function openLoop(o: OpenLoopOptions): Promise<LoadResult> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
	const latencies: number[] = [];
	let errors = 0;
	let firstError: string | undefined;
	const interval = 1000 / o.rate;
	const t0 = performance.now();
	const measureFrom = t0 + o.warmupMs;
	const end = measureFrom + o.durationMs;
	const pending: Promise<void>[] = [];
	const fire = (scheduled: number) => {
		const measured = scheduled >= measureFrom;
		pending.push(
			request(o.port, o.req, agent).then(
				(r) => {
					if (!measured) return;
					if (r.status === o.expectStatus) latencies.push(performance.now() - scheduled);
					else {
						errors++;
						firstError ??= `status ${r.status}: ${r.body.toString('utf8').slice(0, 200)}`;
					}
				},
				(e: unknown) => {
					if (!measured) return;
					errors++;
					firstError ??= e instanceof Error ? e.message : String(e);
				}
			)
		);
	};
	let sent = 0;
	try {
		for (;;) {
			const now = performance.now();
			if (now >= end) break;
			// every request whose time has come (a late timer sends the backlog at once, each keeping its own time)
			while (t0 + sent * interval <= now) fire(t0 + sent++ * interval);
			await new Promise((r) => setTimeout(r, Math.max(0, Math.min(t0 + sent * interval, end) - performance.now())));
		}
		await Promise.all(pending);
	} finally {
		agent.destroy();
	}
	return summarise([
		{ latencies: Float64Array.from(latencies), errors, durationMs: o.durationMs, ...(firstError !== undefined ? { firstError } : {}) }
	]);
}
