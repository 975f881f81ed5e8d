/**
 * Federation fact exchange (issue 14, docs/federation.md §Facts): BENCH_ONLY=federation-facts npm run bench.
 * Two regions and a gateway in one process (src/lib/testing/federation-fixture.ts: three SQLite files):
 * 1. facts per second through the gateway: BENCH_FED_FACTS (default 20 000) signed facts for registered people,
 *    in batches of 1 000 (signature check of each batch, per-item checks, routing, queueing); then the receiver's
 *    pull + verification + apply, without the recolour (facts for people with no account);
 * 2. latency, fact recorded in A → person recoloured in B (new code signed, old one on B's status list — the
 *    revocation a scanner's next bundle carries), with the default schedule: each region runs the exchange job
 *    every FEDERATION_INTERVAL_MS (5 s) on its own real timer; BENCH_FED_TRIALS (default 12) residents of B, one
 *    positive test each, recorded in A at a random moment;
 * 3. fact recorded in A → recoloured in B → revocation in the gateway's scanner bundle, with real processes and the
 *    default schedule: BENCH_FED_REVOCATION (default 20, 0 skips) samples (bench/federation-revocation.ts; needs
 *    `npm run build`).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { toBase64Url } from '../src/lib/core/bytes.js';
import { MAX_BATCH_FACTS, signFactBatch } from '../src/lib/core/federation/fact-batch.js';
import type { FederatedFact } from '../src/lib/core/federation/fact.js';
import { signRegionMessage } from '../src/lib/core/federation/region-message.js';
import { nodeKeyPair } from '../src/lib/server/crypto/node-ed25519.js';
import { acceptFactBatch, acceptRegistrations } from '../src/lib/server/federation/gateway-facts.js';
import { pullAndApply } from '../src/lib/server/federation/inbox.js';
import { registerResidents } from '../src/lib/server/federation/registration.js';
import { exchangeFacts, FEDERATION_INTERVAL_MS } from '../src/lib/server/federation/schedule-fact-exchange.js';
import { scheduleJob } from '../src/lib/server/jobs/schedule-job.js';
import { upsertResidentRoutes } from '../src/lib/server/store/federation-facts.js';
import { pushHouseholdRegister, pushPhoneRegistry } from '../src/lib/server/sources/sources.js';
import { pushRecords } from '../src/lib/server/sources/push.js';
import { declaredResident } from '../src/lib/testing/declared-resident.js';
import { federationFixture, REGION_A, REGION_B } from '../src/lib/testing/federation-fixture.js';
import { routingHash } from '../src/lib/core/federation/routing-hash.js';
import { table } from './timing.js';
import { revocationLatency } from './federation-revocation.js';

const pct = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** An 18-character ID with a valid check character (GB 11643). */
function idNumber(n: number): string {
	const base = `11010519900101${String(n).padStart(3, '0')}`;
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	const sum = [...base].reduce((s, c, i) => s + Number(c) * w[i]!, 0);
	return base + '10X98765432'[sum % 11]!;
}

async function throughput(n: number): Promise<string[][]> {
	const x = await federationFixture();
	try {
		const routes = Array.from({ length: n }, () => toBase64Url(randomBytes(32)));
		for (let i = 0; i < routes.length; i += 50_000) {
			const msg = await signRegionMessage(x.signers.get(REGION_B)!, 'registrations', Math.floor(x.gatewayClock.now / 1000), {
				routes: routes.slice(i, i + 50_000)
			});
			await acceptRegistrations(x.gw, { message: toBase64Url(msg) });
		}
		await upsertResidentRoutes(
			x.b.f.deps.db,
			routes.map((route, i) => ({ route, ref: `bench-${i}` })),
			x.b.f.clock.now
		);
		const now = Math.floor(x.a.f.clock.now / 1000);
		const envelopes = [];
		for (let i = 0; i < n; i += MAX_BATCH_FACTS) {
			const facts = routes.slice(i, i + MAX_BATCH_FACTS).map((subject, j): FederatedFact => ({
				id: `${REGION_A}:b${i + j}`,
				rev: 0,
				region: REGION_A,
				kind: 'test-result',
				subject,
				recordedAt: now,
				sampledAt: now - 3600,
				result: 'negative'
			}));
			envelopes.push(await signFactBatch(x.signers.get(REGION_A)!, toBase64Url(randomBytes(9)), now, facts));
		}
		let t = performance.now();
		for (const e of envelopes) await acceptFactBatch(x.gw, e);
		const gatewayMs = performance.now() - t;
		// the receiver: pull, verify, apply (people without accounts: the recolour evaluates them but issues nothing)
		t = performance.now();
		const r = await pullAndApply(x.b.fed, 1000);
		const receiverMs = performance.now() - t;
		return [
			['gateway: verify + route + queue', `${n}`, `${(gatewayMs / 1000).toFixed(2)} s`, `${Math.round(n / (gatewayMs / 1000))}`],
			[
				`receiver: pull + verify + apply + recolour (${r.applied} applied)`,
				`${n}`,
				`${(receiverMs / 1000).toFixed(2)} s`,
				`${Math.round(n / (receiverMs / 1000))}`
			]
		];
	} finally {
		await x.close();
	}
}

async function latency(trials: number): Promise<number[]> {
	const x = await federationFixture();
	const stops: (() => void)[] = [];
	try {
		// real time from here on: the jobs' timers and claims run on it
		const base = x.a.f.clock.now;
		const t0 = Date.now();
		const real = () => base + (Date.now() - t0);
		for (const d of [x.a.f.deps, x.b.f.deps]) d.clock = real;
		x.gw.clock = real;
		const people: { id: string; route: string }[] = [];
		for (let i = 0; i < trials; i++) {
			const id = idNumber(i + 1);
			const phone = `135${String(10_000_000 + i).slice(-8)}`;
			await pushHouseholdRegister(x.b.f.deps, { records: [{ idNumber: id, name: '测试', region: REGION_B }] });
			await pushPhoneRegistry(x.b.f.deps, { records: [{ phone, idNumber: id }] });
			await declaredResident(
				{ ...x.b.f, clock: { now: real() } },
				{ name: '测试', id, phone, region: REGION_B },
				{ publicKey: nodeKeyPair(randomBytes(32)).publicKey }
			);
			people.push({ id, route: routingHash(x.nationalKey, id) });
		}
		await registerResidents(x.b.fed);
		for (const side of [x.a, x.b])
			stops.push(
				scheduleJob(
					side.f.deps.db,
					side.f.deps.clock,
					{ name: 'federation-facts', label: 'fact exchange', intervalMs: FEDERATION_INTERVAL_MS, run: () => exchangeFacts(side.fed) },
					() => undefined
				)
			);
		const out: number[] = [];
		for (const p of people) {
			await new Promise((r) => setTimeout(r, Math.random() * FEDERATION_INTERVAL_MS));
			const ref = (
				await x.b.f.deps.db.selectFrom('fed_residents').select('ref').where('route_hash', '=', p.route).executeTakeFirstOrThrow()
			).ref;
			const started = performance.now();
			await pushRecords(
				x.a.f.deps,
				'tests',
				{ records: [{ idNumber: p.id, sampledAt: new Date(real() - 3_600_000).toISOString(), result: 'positive' }] },
				'source:bench'
			);
			for (;;) {
				const c = await x.b.f.deps.db.selectFrom('resident_colours').select('colour').where('ref', '=', ref).executeTakeFirst();
				if (c?.colour === 'red') break;
				if (performance.now() - started > 120_000) throw new Error('not recoloured within 2 minutes');
				await new Promise((r) => setTimeout(r, 20));
			}
			out.push(performance.now() - started);
		}
		return out;
	} finally {
		for (const s of stops) s();
		await x.close();
	}
}

export async function federationFactsBench(): Promise<string> {
	const n = Number(process.env.BENCH_FED_FACTS ?? 20_000);
	const trials = Number(process.env.BENCH_FED_TRIALS ?? 12);
	process.stderr.write(
		`federation-facts bench: ${n} facts through the gateway, then ${trials} latency trials (~${Math.round((trials * FEDERATION_INTERVAL_MS * 1.5) / 1000)} s)…\n`
	);
	const revocationSamples = Number(process.env.BENCH_FED_REVOCATION ?? 20);
	const rows = await throughput(n);
	const lat = await latency(trials);
	if (revocationSamples > 0)
		process.stderr.write(
			`federation-facts bench: ${revocationSamples} samples fact → bundle, real processes, default schedule (~3 min)…\n`
		);
	const rev = revocationSamples > 0 ? await revocationLatency(revocationSamples) : [];
	const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const stat = (xs: number[]) => [s(pct(xs, 50)), s(pct(xs, 95)), s(Math.max(...xs))];
	return [
		'## Federation: facts across regions (BENCH_ONLY=federation-facts)',
		'',
		'Two regions and a gateway in one process, each on its own SQLite file.',
		'',
		table(['step', 'facts', 'time', 'facts/s'], rows),
		'',
		`Fact recorded in A (push API) → person recoloured in B (new red code signed, the green one on B's status list), each region running the exchange job every ${FEDERATION_INTERVAL_MS / 1000} s (the default), ${trials} trials:`,
		'',
		table(
			['p50', 'p95', 'max'],
			[[`${(pct(lat, 50) / 1000).toFixed(2)} s`, `${(pct(lat, 95) / 1000).toFixed(2)} s`, `${(Math.max(...lat) / 1000).toFixed(2)} s`]]
		),
		'',
		...(rev.length
			? [
					`Fact recorded in A → recoloured in B → revocation in the scanner bundle the gateway serves (GET /api/v1/gateway/trust), real processes on loopback (gateway, 440300, 110100: \`node build\`, SQLite), the default schedule (facts every 5 s; status lists published and mirrored every 60 s, and published at once after facts recolour someone), ${rev.length} samples pushed concurrently at random moments of one publish period (bench/federation-revocation.ts); target p95 ≤ 60 s:`,
					'',
					table(
						['step', 'p50', 'p95', 'max'],
						[
							['recoloured in B', ...stat(rev.map((r) => r.recolouredMs))],
							['revocation in the gateway bundle', ...stat(rev.map((r) => r.inBundleMs))]
						]
					),
					''
				]
			: [])
	].join('\n');
}
