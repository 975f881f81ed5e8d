/**
 * Imports never stall the server (issue 13): GET /api/v1/me/codes p99 at a fixed offered rate (open loop,
 * BENCH_IMPORT_RATE, default 50 req/s) with no import, then while one staff upload of BENCH_IMPORT_ROWS (default
 * 1 000 000) generated trajectory points streams through POST /api/v1/console/imports into the same server, in one
 * run on one fresh SQLite DATA_DIR (`node build`, demo mode). The upload is CSV generated on the fly (~53 bytes a
 * row, under the console's 64 MiB cap; a larger count is sent as several uploads one after the other). "During"
 * covers the whole upload, staging, applying and the recolour that follows. Target: p99 during ≤ 2× p99 without.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CONSOLE_IMPORT_MAX_BYTES } from '../src/lib/core/contract/import-kinds.js';
import { openLoop, percentile, requestJson, summarise, type LoadResult } from './http-load.js';
import { ensureBuild, signIn, startServer, stopServer, type Server } from './server.js';
import { table } from './timing.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const RATE = Number(process.env.BENCH_IMPORT_RATE ?? 50);
const BASELINE_MS = Number(process.env.BENCH_IMPORT_BASELINE_SECONDS ?? 20) * 1000;
const WINDOW_MS = 2_000;
const STAFF = { username: 'demo.staff', password: 'tongxing-demo-console' };
/** a row is at most this long; rows per upload keep each under the console cap */
const ROW_BYTES_MAX = 60;
const HEADER_BYTES = 32;

/**
 * One upload of rows [from, to), from a child process at the lowest CPU priority (bench/import-uploader.ts): in
 * production the file comes from another machine, so generating it must not take CPU from this process, which
 * measures the latencies, or from the server more than sending it does.
 */
function upload(s: Server, cookie: string, from: number, to: number): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[
				join(import.meta.dirname, '..', 'bin', 'run-ts.js'),
				join(import.meta.dirname, 'import-uploader.ts'),
				JSON.stringify({ port: s.port, origin: s.origin, cookie, from, to })
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] }
		);
		try {
			setPriority(child.pid!, 19);
		} catch {
			// not permitted: the uploader runs at normal priority
		}
		let out = '';
		child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
		child.once('error', reject);
		child.once('exit', (code) => {
			try {
				resolve(JSON.parse(out) as { status: number; body: string });
			} catch {
				reject(new Error(`import uploader exited (${code}) without an answer: ${out.slice(0, 300)}`));
			}
		});
	});
}

async function staffCookie(s: Server): Promise<string> {
	const r = await requestJson(
		s.port,
		{
			method: 'POST',
			path: '/api/v1/staff/session',
			headers: { 'content-type': 'application/json', origin: s.origin },
			body: JSON.stringify(STAFF)
		},
		200
	);
	const c = r.reply.headers['set-cookie']?.map((x) => x.split(';')[0]!).find((x) => x.includes('='));
	if (!c) throw new Error('staff sign-in: no cookie');
	return c;
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

export async function importsBench(): Promise<string> {
	ensureBuild();
	const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-bench-imports-'));
	let server: Server | undefined;
	try {
		// as scripts/start.js sets it (npm start): adapter-node's default 512 KiB would refuse the upload
		// the bench measures the import itself, not the two-person rule (docs/console.md): it applies at once
		server = await startServer(dataDir, { BODY_SIZE_LIMIT: String(CONSOLE_IMPORT_MAX_BYTES), TONGXING_APPROVAL_THRESHOLD: '100000000' });
		const s = server;
		const resident = await signIn(s);
		const cookie = await staffCookie(s);
		const codes = { path: '/api/v1/me/codes', headers: { cookie: resident.cookie } };
		const window = (durationMs: number, warmupMs = 0) =>
			openLoop({ port: s.port, rate: RATE, warmupMs, durationMs, req: codes, expectStatus: 200 });

		const before = await window(BASELINE_MS / 2, 2_000);

		const perUpload = Math.floor((CONSOLE_IMPORT_MAX_BYTES - HEADER_BYTES) / ROW_BYTES_MAX);
		const uploads: number[] = [];
		for (let at = 0; at < ROWS; at += perUpload) uploads.push(Math.min(perUpload, ROWS - at));
		const t0 = performance.now();
		let done = false;
		const answers: string[] = [];
		const importing = (async () => {
			let from = 0;
			for (const n of uploads) {
				const r = await upload(s, cookie, from, from + n);
				if (r.status !== 200) throw new Error(`import answered ${r.status}: ${r.body.slice(0, 300)}\n${s.log()}`);
				answers.push(r.body);
				from += n;
			}
		})().finally(() => (done = true));
		const windows: LoadResult[] = [];
		while (!done) windows.push(await window(WINDOW_MS));
		await importing;
		const importSeconds = (performance.now() - t0) / 1000;
		const during = summarise(windows);
		// the other half of the baseline after the import (same database size; the machine's other load drifts)
		const after = await window(BASELINE_MS / 2, 1_000);
		const without = summarise([before, after]);
		const recoloured = answers.map((a) => (JSON.parse(a) as { recoloured?: { evaluated: number } }).recoloured?.evaluated ?? 0);
		const ratio = during.p99Ms / without.p99Ms;
		return (
			`## Imports never stall the server (bench/imports.ts)\n\n` +
			`GET /api/v1/me/codes at ${RATE} req/s (open loop, latency from the scheduled send), without an import (${BASELINE_MS / 2000} s before and ${BASELINE_MS / 2000} s after it) ` +
			`and during a console import of ${ROWS.toLocaleString('en-US')} trajectory rows (${uploads.length} upload${uploads.length === 1 ? '' : 's'}, ` +
			`${importSeconds.toFixed(1)} s including the recolour of ${recoloured.reduce((a, b) => a + b, 0)} residents), one server, SQLite.\n\n` +
			table(
				['', 'requests', 'errors', 'p50', 'p95', 'p99', 'max'],
				[
					['no import', without],
					['during the import', during]
				].map(([label, r]) => {
					const x = r as LoadResult;
					return [
						label as string,
						String(x.requests),
						String(x.errors),
						ms(x.p50Ms),
						ms(percentile(x.latencies, 95)),
						ms(x.p99Ms),
						ms(x.maxMs)
					];
				})
			) +
			`\n\np99 during / p99 without: **${ratio.toFixed(2)}×** (target ≤ 2×); import throughput ${Math.round(ROWS / importSeconds).toLocaleString('en-US')} rows/s.` +
			(during.firstError ? ` First error during: ${during.firstError}.` : '') +
			'\n'
		);
	} finally {
		if (server) await stopServer(server.proc);
		rmSync(dataDir, { recursive: true, force: true });
	}
}
