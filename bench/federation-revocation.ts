/**
 * Fact recorded in A → person recoloured in B → revocation visible in the scanner bundle the gateway serves
 * (issue 14's latency target: p95 ≤ 60 s with the default schedule). Part of BENCH_ONLY=federation-facts.
 *
 * Real processes on loopback, as in production: a gateway and regions 440300 (A) and 110100 (B), each `node build`
 * with its own DATA_DIR, onboarded by the ceremony (scripts/federation.ts onboard), with the DEFAULT schedule — no
 * TONGXING_FEDERATION_INTERVAL_MS: facts are exchanged every 5 s, key and status lists published and mirrored every
 * 60 s, and B publishes at once after applied facts recoloured someone (schedule-fact-exchange.ts). B's residents sign in over HTTP (one-time code from the demo outbox), register a device and declare (green);
 * then each sample's positive test is pushed to A's health source API at a random moment of one publish period
 * (so the samples fall on every phase of B's publish tick), all samples running concurrently. Each is timed until
 * (1) B has recoloured the person red (B's database, read-only) and (2) their old green code's id is in region B's
 * status documents inside GET /api/v1/gateway/trust (the bundle every region mirrors and every scanner refreshes).
 * A scanner sees it at its own next refresh after that; regions mirror every 60 s too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { toBase64Url } from '../src/lib/core/bytes.js';
import { cborDecode } from '../src/lib/core/cbor.js';
import { parseCose } from '../src/lib/core/cose.js';
import { residentIdCheckChar } from '../src/lib/core/declaration/resident-id.js';
import { tweetnaclKeyPair } from '../src/lib/core/ed25519/tweetnacl.js';
import { decodeTrustBundle } from '../src/lib/core/federation/trust-bundle.js';
import { routingHash } from '../src/lib/core/federation/routing-hash.js';
import { loadNationalIdKey } from '../src/lib/server/federation/national-id-key.js';
import { federationLayout, onboard, processEnv } from '../scripts/federation.js';
import { freePort } from './free-port.js';

const A = '440300';
const B = '110100';
const ROOT = join(import.meta.dirname, '..');
/** the region's default publish/mirror period (schedule-federation.ts), over which the samples are spread */
const PUBLISH_PERIOD_MS = 60_000;

export interface RevocationSample {
	recolouredMs: number;
	inBundleMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * fetch, tried again (up to 3 times) when the connection fails before an answer: undici reuses keep-alive sockets
 * that the server may close at the same moment (UND_ERR_SOCKET "other side closed"). The requests retried are safe to
 * repeat here: reads, and pushes whose facts are idempotent by their identity.
 */
async function fetchRetry(input: string, init?: RequestInit): Promise<Response> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await fetch(input, init);
		} catch (e) {
			if (attempt >= 3) throw e;
			await sleep(100 * attempt);
		}
	}
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 180_000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v !== undefined) return v;
		if (Date.now() > until) throw new Error(`federation revocation bench: timed out waiting for ${what}`);
		await sleep(200);
	}
}

/** An 18-character ID of B's (1101…) with a valid check character. */
const idNumber = (n: number) => {
	const first17 = `11010519800101${String(n).padStart(3, '0')}`;
	return first17 + residentIdCheckChar(first17);
};

/** One resident of B signing in over HTTP (cookie session), registering a device, declaring; returns their codes' ids. */
async function residentOfB(url: string, id: string, phone: string): Promise<string[]> {
	let cookie = '';
	const call = async (method: string, path: string, body?: unknown) => {
		const res = await fetch(`${url}${path}`, {
			method,
			headers: { origin: url, cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			...(body === undefined ? {} : { body: JSON.stringify(body) })
		});
		const set = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
		if (set.length)
			cookie = [...cookie.split('; ').filter((c) => c && !set.some((s) => s.split('=')[0] === c.split('=')[0])), ...set].join('; ');
		if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
		return res.status === 204 ? null : ((await res.json()) as Record<string, unknown>);
	};
	const { challengeId } = (await call('POST', '/api/v1/auth/otp', { phone })) as { challengeId: string };
	const outbox = (await call('GET', `/api/v1/dev/outbox?phone=${phone}`)) as { messages: { text: string }[] };
	const code = /\d{6}/.exec(outbox.messages.at(-1)!.text)![0];
	await call('POST', '/api/v1/auth/session', { challengeId, phone, code });
	const device = tweetnaclKeyPair(new Uint8Array(32).fill(phone.charCodeAt(10)));
	await call('PUT', '/api/v1/me/device', { publicKey: toBase64Url(device.publicKey) });
	await call('POST', '/api/v1/declarations', {
		name: '测试',
		idNumber: id,
		phone,
		region: '110105',
		addressDetail: '1 号',
		temperature: 36.6,
		symptoms: ['none'],
		travel: []
	});
	const codes = (await call('GET', '/api/v1/me/codes')) as { people: { codes: { codeId: string; colour: string }[] }[] };
	return codes.people[0]!.codes.filter((c) => c.colour === 'green').map((c) => c.codeId);
}

/** Every code id in region `region`'s status documents of a bundle. */
function revokedIn(bytes: Uint8Array, region: string): Set<string> {
	const out = new Set<string>();
	const b = decodeTrustBundle(bytes);
	if (typeof b === 'string') return out;
	for (const doc of b.statusLists) {
		const cose = parseCose(cborDecode(doc));
		const m = typeof cose === 'string' ? null : cborDecode(cose.payload);
		if (!(m instanceof Map) || m.get('region') !== region) continue;
		for (const id of (m.get('revoked') as Uint8Array[] | undefined) ?? []) out.add(toBase64Url(id));
	}
	return out;
}

export async function revocationLatency(samples: number): Promise<RevocationSample[]> {
	if (!existsSync(join(ROOT, 'build', 'index.js'))) throw new Error('federation revocation bench: run `npm run build` first');
	if (samples > 25) throw new Error('at most 25 samples (one-time codes: 30 per hour per client address)');
	const dir = mkdtempSync(join(tmpdir(), 'tx-bench-fed-rev-'));
	const layout = federationLayout(dir);
	const children: ChildProcess[] = [];
	try {
		await onboard(layout, { regions: [A, B] });
		const ports = { gw: await freePort(), a: await freePort(), b: await freePort() };
		const url = (p: number) => `http://127.0.0.1:${p}`;
		const start = (env: NodeJS.ProcessEnv) => {
			// the default schedule: no interval override from the demo's processEnv or this shell
			delete env.TONGXING_FEDERATION_INTERVAL_MS;
			// BENCH_FED_LOG=1: the processes' logs on this stderr
			children.push(
				spawn(process.execPath, [join(ROOT, 'build', 'index.js')], {
					cwd: ROOT,
					env,
					stdio: ['ignore', 'ignore', process.env.BENCH_FED_LOG ? 'inherit' : 'ignore']
				})
			);
		};
		start(processEnv('gateway', layout.gatewayDir, ports.gw));
		for (const [region, port] of [
			[A, ports.a],
			[B, ports.b]
		] as const)
			start(processEnv('region', layout.regionDirs[region]!, port, { TONGXING_REGION: region, TONGXING_GATEWAY_URL: url(ports.gw) }));
		for (const p of Object.values(ports))
			await waitFor(
				'health',
				async () => ((await fetch(`${url(p)}/api/v1/health`).catch(() => null))?.status === 200 ? true : undefined),
				60_000
			);

		const cli = (region: string, ...args: string[]) =>
			execFileSync(process.execPath, [join(ROOT, 'bin', 'tongxing.js'), ...args], {
				cwd: ROOT,
				env: { ...process.env, DATA_DIR: layout.regionDirs[region] },
				encoding: 'utf8'
			}).trim();
		const push = async (region: string, port: number, source: string, kind: string, records: unknown[]) => {
			const res = await fetchRetry(`${url(port)}/api/v1/sources/${source}/${kind}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${cli(region, 'source', 'add', source)}`, 'content-type': 'application/json' },
				body: JSON.stringify({ records })
			});
			if (!res.ok) throw new Error(`${source}/${kind}: ${res.status} ${await res.text()}`);
		};
		const people = Array.from({ length: samples }, (_, i) => ({ id: idNumber(i + 1), phone: `170${String(10_000_000 + i).slice(-8)}` }));
		await push(
			B,
			ports.b,
			'public-security',
			'register',
			people.map((p) => ({ idNumber: p.id, name: '测试', region: '110105' }))
		);
		await push(
			B,
			ports.b,
			'carrier',
			'phones',
			people.map((p) => ({ phone: p.phone, idNumber: p.id }))
		);
		const codes: string[][] = [];
		for (const p of people) codes.push(await residentOfB(url(ports.b), p.id, p.phone));
		const healthKey = cli(A, 'source', 'add', 'health');

		// B's refs by routing hash (B's national key file), and the moment B has registered everyone with the gateway
		const nationalKey = loadNationalIdKey(layout.regionDirs[B]!)!;
		const dbB = new Database(join(layout.regionDirs[B]!, 'tongxing.sqlite'), { readonly: true, fileMustExist: true });
		try {
			const refOf = dbB.prepare('SELECT ref, registered_at FROM fed_residents WHERE route_hash = ?');
			const colourOf = dbB.prepare('SELECT colour FROM resident_colours WHERE ref = ?');
			const refs = await waitFor('B registering its residents with the gateway', () => {
				const rows = people.map(
					(p) => refOf.get(routingHash(nationalKey, p.id)) as { ref: string; registered_at: number | null } | undefined
				);
				return rows.every((r) => r?.registered_at) ? rows.map((r) => r!.ref) : undefined;
			});
			// steady state before the clock starts: B holds A's certificate (B's mirror), so it can check A's batches
			await waitFor('B mirroring A’s certificate and key list', async () => {
				const res = await fetchRetry(`${url(ports.b)}/.well-known/tongxing/trust-bundle`);
				const b = decodeTrustBundle(new Uint8Array(await res.arrayBuffer()));
				return typeof b !== 'string' && b.keyLists.length === 2 ? true : undefined;
			});
			// B's lists are at the gateway before the clock starts (its first publish run)
			await waitFor('B’s status list at the gateway', async () => {
				const res = await fetchRetry(`${url(ports.gw)}/api/v1/gateway/regions/${B}`);
				return res.ok && ((await res.json()) as { statusSeq: number }).statusSeq > 0 ? true : undefined;
			});

			const sample = async (i: number): Promise<RevocationSample> => {
				await sleep(Math.random() * PUBLISH_PERIOD_MS);
				const t0 = performance.now();
				const res = await fetchRetry(`${url(ports.a)}/api/v1/sources/health/tests`, {
					method: 'POST',
					headers: { authorization: `Bearer ${healthKey}`, 'content-type': 'application/json' },
					body: JSON.stringify({
						records: [{ idNumber: people[i]!.id, sampledAt: new Date(Date.now() - 3_600_000).toISOString(), result: 'positive' }]
					})
				});
				if (!res.ok) throw new Error(`health/tests: ${res.status}`);
				const recoloured = await waitFor('the recolour in B', () =>
					(colourOf.get(refs[i]!) as { colour: string } | undefined)?.colour === 'red' ? performance.now() - t0 : undefined
				);
				const visible = await waitFor('the revocation in the gateway bundle', async () => {
					const bundle = new Uint8Array(await (await fetchRetry(`${url(ports.gw)}/api/v1/gateway/trust`)).arrayBuffer());
					const revoked = revokedIn(bundle, B);
					return codes[i]!.every((c) => revoked.has(c)) ? performance.now() - t0 : undefined;
				});
				return { recolouredMs: recoloured, inBundleMs: visible };
			};
			return await Promise.all(people.map((_, i) => sample(i)));
		} finally {
			dbB.close();
		}
	} finally {
		for (const c of children) c.kill('SIGTERM');
		await Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r)))));
		rmSync(dir, { recursive: true, force: true });
	}
}
