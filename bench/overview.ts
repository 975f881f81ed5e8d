/**
 * BENCH_ONLY=overview npm run bench — the console overview's server time (GET /api/v1/console/overview, issue 15:
 * target p95 ≤ 200 ms on the 1 000 000-resident city) at a fixed offered rate.
 *
 * The city: the cached demo city (bench/city-cache.ts; BENCH_RESIDENTS, default 1 000 000 — seeding one takes most
 * of an hour, then it is reused). Opening it migrates it, so migration 026 counts its colours and colour changes
 * from the rows. A seeded city has no scans, imports or guard devices, so for the run the bench adds a week of
 * activity to the aggregates as the writers would (store/overview.ts deltas for the week the fold keeps: scans per
 * venue and verdict for every venue and hour, recolours per reason and hour, imports) and one guard device per venue with a newest scan, then
 * takes all of it out again (the devices deleted, the counts recounted from the city's rows). A city smaller than
 * 1 000 000 residents has fewer venues: the bench adds venues up to the big city's count (BENCH_OVERVIEW_VENUES),
 * since the overview's rows grow with venues and hours, not with residents.
 *
 * Served by `node build` on the city's folder; BENCH_OVERVIEW_RATE requests/s (default 20) for
 * BENCH_OVERVIEW_SECONDS (default 20) after a 3 s warm-up, as the signed-in demo staff member. Two numbers per
 * request: the server's own time (the route's `server-timing: app;dur=…`, session check to answer built) and the
 * client's latency from the scheduled send time to the last byte (queueing included).
 */
import http from 'node:http';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { openCachedCity } from './city-cache.js';
import { request, percentile } from './http-load.js';
import { ensureBuild, startServer, stopServer, type Server } from './server.js';
import { table } from './timing.js';
import {
	HOUR_MS,
	OVERVIEW_KEEP_MS,
	addOverviewDeltas,
	foldOverviewDeltas,
	hourOf,
	rebuildOverview,
	type OverviewDelta
} from '../src/lib/server/store/overview.js';
import { DEMO_STAFF } from '../src/demo/seed-staff.js';

const RATE = Number(process.env.BENCH_OVERVIEW_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_OVERVIEW_SECONDS ?? 20);
const DEVICE_PREFIX = 'bench-ov-';
const VENUES = Number(process.env.BENCH_OVERVIEW_VENUES ?? Math.min(400, 40 + Math.ceil(1_000_000 / 4000)) + 4);
const REASONS = ['close-contact', 'secondary-contact', 'high-risk-area-stay', 'medium-risk-area-stay', 'confirmed-case', 'none'];

async function staffCookie(s: Server): Promise<string> {
	const r = await request(s.port, {
		method: 'POST',
		path: '/api/v1/staff/session',
		headers: { 'content-type': 'application/json', origin: s.origin },
		// the sign-in takes the username and password only (DEMO_STAFF also names the account's role)
		body: JSON.stringify({ username: DEMO_STAFF.username, password: DEMO_STAFF.password })
	});
	const c = r.headers['set-cookie']?.map((x) => x.split(';')[0]!).find((x) => x.includes('='));
	if (r.status !== 200 || !c) throw new Error(`staff sign-in: ${r.status} ${r.body.toString('utf8').slice(0, 200)}`);
	return c;
}

interface Sample {
	serverMs: number;
	latencyMs: number;
}

/** `rate` requests per second on schedule; each sample keeps its server-timing and its latency from its scheduled time. */
async function fixedRate(port: number, path: string, cookie: string, rate: number, warmupMs: number, durationMs: number) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const samples: Sample[] = [];
	let errors = 0;
	let firstError: string | undefined;
	let bytes = 0;
	const interval = 1000 / rate;
	const t0 = performance.now();
	const measureFrom = t0 + warmupMs;
	const end = measureFrom + durationMs;
	const pending: Promise<void>[] = [];
	let sent = 0;
	try {
		for (;;) {
			const now = performance.now();
			if (now >= end) break;
			while (t0 + sent * interval <= now) {
				const scheduled = t0 + sent++ * interval;
				pending.push(
					request(port, { path, headers: { cookie } }, agent).then(
						(r) => {
							if (scheduled < measureFrom) return;
							const dur = /app;dur=([\d.]+)/.exec(String(r.headers['server-timing'] ?? ''));
							if (r.status !== 200 || !dur) {
								errors++;
								firstError ??= `status ${r.status}: ${r.body.toString('utf8').slice(0, 200)}`;
								return;
							}
							bytes = r.body.length;
							samples.push({ serverMs: Number(dur[1]), latencyMs: performance.now() - scheduled });
						},
						(e: unknown) => {
							errors++;
							firstError ??= e instanceof Error ? e.message : String(e);
						}
					)
				);
			}
			await new Promise((r) => setTimeout(r, Math.max(0, Math.min(t0 + sent * interval, end) - performance.now())));
		}
		await Promise.all(pending);
	} finally {
		agent.destroy();
	}
	return { samples, errors, firstError, bytes };
}

export async function overviewBench(): Promise<string> {
	ensureBuild();
	const residents = Number(process.env.BENCH_RESIDENTS ?? 1_000_000);
	const seed = process.env.BENCH_CITY_SEED ?? 'tongxing';
	const city = await openCachedCity({ residents, seed, log: (m) => process.stderr.write(`overview bench: ${m}\n`) });
	let server: Server | undefined;
	try {
		const db = city.db;
		const now = Date.now();
		const cityVenues = (await db.selectFrom('venues').select(['id']).orderBy('id').execute()).map((v) => v.id);
		// as many venues as the 1 000 000-resident city has (src/demo/city/layout.ts: 40 + residents / 4 000, at most
		// 400; + the 4 demo venues), so a smaller cached city is measured with the big city's per-venue rows
		const venues = [...cityVenues];
		for (let i = 0; venues.length < VENUES; i++) {
			const id = `${DEVICE_PREFIX}v${i}`;
			await db
				.insertInto('venues')
				.values({ id, name: `压测场所 ${i}`, region: '440300', policy_json: '{"policy":"green-only"}', created_at: now })
				.execute();
			venues.push(id);
		}
		const current = hourOf(now);
		// a week of activity (what the fold keeps, OVERVIEW_KEEP_MS), as the writers record it: every venue scans
		// every hour; recolours and imports every hour. The server's fold job folds it in at start.
		const deltas: OverviewDelta[] = [];
		for (let h = 0; h < OVERVIEW_KEEP_MS / HOUR_MS; h++) {
			const bucket = current - h * HOUR_MS;
			for (const [i, v] of venues.entries()) deltas.push({ metric: 'scan', bucket, key: v, n: 20 + ((i * 7 + h) % 50) });
			deltas.push({ metric: 'verdict', bucket, key: 'valid', n: 900 }, { metric: 'verdict', bucket, key: 'invalid', n: 30 });
			deltas.push({ metric: 'verdict', bucket, key: 'unverifiable', n: 12 });
			for (const [i, r] of REASONS.entries()) deltas.push({ metric: 'recolour', bucket, key: r, n: 5 + i * 3 });
			deltas.push({ metric: 'import', bucket, key: 'tests', n: 50_000 }, { metric: 'import.runs', bucket, key: 'tests', n: 1 });
		}
		await addOverviewDeltas(db, deltas);
		// one guard device per venue, each with a newest scan (the overview reads it through the (device, seq) key)
		for (const [i, v] of venues.entries()) {
			const id = `${DEVICE_PREFIX}${i}`;
			await db
				.insertInto('guard_devices')
				.values({ id, venue_id: v, token_hmac: `${DEVICE_PREFIX}${i}`, created_at: now, revoked_at: null, last_hash: 'h', last_seq: 1 })
				.execute();
			await db
				.insertInto('scan_events')
				.values({
					event_id: `${id}-1`,
					device_id: id,
					seq: 1,
					prev_hash: '',
					hash: 'h',
					code_id: null,
					verdict: 'valid',
					reason: 'ok',
					scanned_at: now - 120_000,
					received_at: now - 60_000,
					venue_id: v,
					registration_name: null,
					registration_phone_enc: null,
					registration_at: null
				})
				.execute();
		}
		// what the overview reads once the server's fold job has run (it runs at start)
		await foldOverviewDeltas(db, now);
		const rows = await db
			.selectFrom('overview_counts')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		const pendingDeltas = await db
			.selectFrom('overview_deltas')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		const colourRows = await db
			.selectFrom('resident_colours')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		await sql`pragma wal_checkpoint(truncate)`.execute(db);

		server = await startServer(city.dir);
		const cookie = await staffCookie(server);
		const run = await fixedRate(server.port, '/api/v1/console/overview', cookie, RATE, 3_000, SECONDS * 1000);
		const serverMs = Float64Array.from(run.samples.map((s) => s.serverMs)).sort();
		const latency = Float64Array.from(run.samples.map((s) => s.latencyMs)).sort();
		const f = (x: number) => `${x.toFixed(1)} ms`;
		const p95 = percentile(serverMs, 95);
		return [
			'## Console overview (GET /api/v1/console/overview)',
			'',
			`City: ${city.meta.residents.toLocaleString('en')} residents (${Number(colourRows.n).toLocaleString('en')} with a colour), ${cityVenues.length} venues (${venues.length} with the bench's, as in the 1 000 000-resident city), ` +
				`${venues.length} guard devices; aggregates: ${Number(rows.n)} folded rows + ${Number(pendingDeltas.n)} unfolded deltas (a week of scans, verdicts, recolours, imports added for the run and folded by the server's job). ` +
				`${RATE} req/s offered for ${SECONDS} s after a 3 s warm-up; load average ${loadavg()
					.map((x) => x.toFixed(2))
					.join(', ')}.` +
				(city.staleness.length ? ` Note: ${city.staleness.join('; ')}.` : ''),
			'',
			table(
				['', 'p50', 'p95', 'p99', 'max', 'requests', 'errors'],
				[
					[
						'server time (server-timing)',
						f(percentile(serverMs, 50)),
						f(p95),
						f(percentile(serverMs, 99)),
						f(serverMs[serverMs.length - 1] ?? 0),
						serverMs.length,
						run.errors
					],
					[
						'client latency (from scheduled send)',
						f(percentile(latency, 50)),
						f(percentile(latency, 95)),
						f(percentile(latency, 99)),
						f(latency[latency.length - 1] ?? 0),
						latency.length,
						run.errors
					]
				]
			),
			'',
			`Answer size ${(run.bytes / 1000).toFixed(1)} kB. Target: server time p95 ≤ 200 ms — ${p95 <= 200 ? 'met' : 'NOT met'} (${f(p95)}).` +
				(run.firstError ? ` First error: ${run.firstError}` : ''),
			''
		].join('\n');
	} finally {
		if (server) await stopServer(server.proc);
		// leave the city as found: no bench devices or scans, counts recounted from the city's own rows
		await city.db.deleteFrom('scan_events').where('device_id', 'like', `${DEVICE_PREFIX}%`).execute();
		await city.db.deleteFrom('guard_devices').where('id', 'like', `${DEVICE_PREFIX}%`).execute();
		await city.db.deleteFrom('venues').where('id', 'like', `${DEVICE_PREFIX}%`).execute();
		await rebuildOverview(city.db);
		await city.close();
	}
}
