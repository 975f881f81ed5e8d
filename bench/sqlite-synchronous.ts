/**
 * The cost of TONGXING_SQLITE_SYNCHRONOUS=full against normal (docs/drills.md §5, docs/benchmarks.md) on the paths
 * that commit most, in one process, the two settings interleaved round by round so the ratio is measured under the
 * same load:
 *   - scan ingest: ingestScans of a batch of 100 hash-chained events (the scanner's BATCH_SIZE), one commit each;
 *   - declarations: submitDeclaration (the old codes revoked, a new pair issued), one resident after another;
 *   - the recolour's chunk commits: a high-risk area over the city centre and its end (createRiskArea, endRiskArea:
 *     every affected resident recoloured, audited, codes revoked and issued, chunk by chunk).
 * Two copies of one seeded city (BENCH_SYNC_RESIDENTS, default 2,000) on the machine's disk (TMPDIR), each opened
 * with its setting. `BENCH_ONLY=sqlite-sync npm run bench`; BENCH_SYNC_ROUNDS (default 5).
 */
import { closeSync, cpSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { chainScanEvent, type ScanEvent } from '../src/lib/core/scan-log.js';
import { toBase64Url } from '../src/lib/core/bytes.js';
import { tweetnaclKeyPair } from '../src/lib/core/ed25519/tweetnacl.js';
import { DEFAULT_CENTRE } from '../src/demo/city/city.js';
import { accountForPhone } from '../src/lib/server/issuer/accounts.js';
import { databaseSources } from '../src/lib/server/issuer/cross-check.js';
import { submitDeclaration } from '../src/lib/server/issuer/declare.js';
import { DEFAULT_CONFIG, type IssuerDeps } from '../src/lib/server/issuer/deps.js';
import { KeyStore } from '../src/lib/server/keys/keystore.js';
import { createRiskArea, endRiskArea } from '../src/lib/server/recolour/risk-areas.js';
import { ingestScans } from '../src/lib/server/scans/ingest.js';
import { addVenue, enrolGuard } from '../src/lib/server/scans/guards.js';
import { hmacKey, phoneKey } from '../src/lib/server/secrets.js';
import { setDeviceKey } from '../src/lib/server/store/accounts.js';
import { openDatabase, type OpenDatabase } from '../src/lib/server/store/open.js';
import { seedCity } from '../scripts/drill/city.js';
import { sqliteStorage } from '../scripts/drill/servers.js';
import type { Identity } from '../scripts/drill/sim/sim-resident.js';
import { table } from './timing.js';

type Mode = 'normal' | 'full';
const MODES: readonly Mode[] = ['normal', 'full'];
const BATCH = 100;
const DECLARATIONS_PER_ROUND = 40;
const BATCHES_PER_ROUND = 40;
const load = () =>
	loadavg()
		.map((x) => x.toFixed(2))
		.join(', ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Side {
	mode: Mode;
	opened: OpenDatabase;
	deps: IssuerDeps;
	accounts: { id: string; who: Identity }[];
	device: { id: string; venue_id: string };
	last: ScanEvent | null;
	ms: { scans: number[]; declarations: number[]; area: number[]; areaEnd: number[] };
	recoloured: { evaluated: number; changed: number }[];
}

async function open(dir: string, mode: Mode, who: Identity[]): Promise<Side> {
	const opened = await openDatabase({ dataDir: dir, sqliteSynchronous: mode });
	const db = opened.db;
	const deps: IssuerDeps = {
		db,
		dataDir: dir,
		keys: new KeyStore(dir),
		hmacKey: hmacKey(dir),
		phoneKey: phoneKey(dir),
		sms: { name: 'none', send: () => Promise.resolve() },
		sources: databaseSources(db),
		config: { ...DEFAULT_CONFIG, region: '440300', demo: true },
		clock: () => Date.now(),
		databaseOptions: { dataDir: dir, sqliteSynchronous: mode }
	};
	const device = tweetnaclKeyPair(new Uint8Array(32).fill(9));
	const accounts: Side['accounts'] = [];
	for (const p of who) {
		const id = await accountForPhone(deps, p.phone, Date.now());
		await setDeviceKey(db, id, toBase64Url(device.publicKey));
		accounts.push({ id, who: p });
	}
	const venue = await addVenue(db, { name: '基准场所', region: '440305', policy: 'green-only', nowMs: Date.now() });
	const guard = await enrolGuard(db, deps.hmacKey, venue, Date.now());
	return {
		mode,
		opened,
		deps,
		accounts,
		device: { id: guard.deviceId, venue_id: venue },
		last: null,
		ms: { scans: [], declarations: [], area: [], areaEnd: [] },
		recoloured: []
	};
}

async function scanBatches(s: Side): Promise<void> {
	for (let b = 0; b < BATCHES_PER_ROUND; b++) {
		const events: ScanEvent[] = [];
		for (let i = 0; i < BATCH; i++) {
			const seq = (s.last?.seq ?? 0) + 1;
			s.last = chainScanEvent(s.last, {
				eventId: `bench-${s.mode}-${seq}`,
				deviceId: s.device.id,
				venueId: s.device.venue_id,
				scannedAt: Date.now(),
				codeId: null,
				verdict: 'valid',
				reason: 'ok'
			});
			events.push(s.last);
		}
		const t0 = performance.now();
		await ingestScans(s.opened.db, s.device, events, Date.now());
		s.ms.scans.push(performance.now() - t0);
	}
}

async function declarations(s: Side, round: number): Promise<void> {
	for (let k = 0; k < DECLARATIONS_PER_ROUND; k++) {
		const a = s.accounts[(round * DECLARATIONS_PER_ROUND + k) % s.accounts.length]!;
		const t0 = performance.now();
		await submitDeclaration(
			s.deps,
			{ id: a.id },
			{
				name: a.who.name,
				idNumber: a.who.idNumber,
				phone: a.who.phone,
				region: a.who.region,
				addressDetail: '基准 1 栋',
				temperature: 36.5,
				symptoms: ['none'],
				travel: []
			}
		);
		s.ms.declarations.push(performance.now() - t0);
	}
}

/** A 2 km square around the city centre, active for the last 7 days: recolours whoever was in it, then its end recolours them back. */
async function area(s: Side, round: number): Promise<void> {
	const dLat = 1000 / 111_320;
	const dLon = 1000 / (111_320 * Math.cos((DEFAULT_CENTRE.lat * Math.PI) / 180));
	const { lat, lon } = DEFAULT_CENTRE;
	const polygon = [
		[lon - dLon, lat - dLat],
		[lon + dLon, lat - dLat],
		[lon + dLon, lat + dLat],
		[lon - dLon, lat + dLat]
	];
	const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
	const t0 = performance.now();
	const made = await createRiskArea(s.deps, { name: `bench ${round}`, level: 'high', polygon, from }, 'bench');
	s.ms.area.push(performance.now() - t0);
	s.recoloured.push(made.recoloured);
	const t1 = performance.now();
	await endRiskArea(s.deps, made.id, 'bench');
	s.ms.areaEnd.push(performance.now() - t1);
}

/** What one fdatasync of a 4 KB append costs on this disk (FULL adds about one per commit): the median of 200. */
function fsyncMs(dir: string): number {
	const fd = openSync(join(dir, 'fsync-probe'), 'w');
	const page = Buffer.alloc(4096, 1);
	const ms: number[] = [];
	try {
		for (let i = 0; i < 200; i++) {
			writeSync(fd, page);
			const t0 = performance.now();
			fdatasyncSync(fd);
			ms.push(performance.now() - t0);
		}
	} finally {
		closeSync(fd);
	}
	return median(ms);
}

export async function sqliteSyncBench(): Promise<string> {
	const residents = Number(process.env.BENCH_SYNC_RESIDENTS ?? 2_000);
	const rounds = Number(process.env.BENCH_SYNC_ROUNDS ?? 5);
	const work = mkdtempSync(join(tmpdir(), 'tongxing-bench-sync-'));
	const seeded = sqliteStorage(join(work, 'seeded'));
	const sides: Side[] = [];
	try {
		process.stderr.write(`sqlite-sync bench: seeding ${residents} residents…\n`);
		const who = await seedCity(seeded, 40, residents);
		for (const mode of MODES) {
			const dir = join(work, mode);
			cpSync(seeded.dataDir, dir, { recursive: true });
			sides.push(await open(dir, mode, who));
		}
		// the setting really is what each side runs with (PRAGMA synchronous: 1 NORMAL, 2 FULL)
		const pragmas = await Promise.all(
			sides.map(async (x) => Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(x.opened.db)).rows[0]?.synchronous))
		);
		if (pragmas[0] !== 1 || pragmas[1] !== 2) throw new Error(`PRAGMA synchronous is ${pragmas.join(', ')}, not 1, 2`);
		const fsync = fsyncMs(work);
		const loadBefore = load();
		for (let r = 0; r < rounds; r++) {
			// the order alternates, so neither setting always runs second (warmer caches, a busier disk)
			const order = r % 2 === 0 ? sides : [...sides].reverse();
			for (const s of order) {
				await scanBatches(s);
				await declarations(s, r);
				await area(s, r);
			}
			process.stderr.write(`sqlite-sync bench: round ${r + 1}/${rounds} (load ${load()})\n`);
		}
		const loadAfter = load();
		const [n, f] = sides as [Side, Side];
		const row = (what: string, a: number[], b: number[]) => {
			const x = median(a);
			const y = median(b);
			return [what, `${x.toFixed(2)} ms`, `${y.toFixed(2)} ms`, `${(y / x).toFixed(2)}×`, `+${(y - x).toFixed(2)} ms`];
		};
		const rec = n.recoloured[0];
		return [
			'## SQLite synchronous: FULL against NORMAL (the commit-heavy paths)',
			'',
			`${residents}-resident seeded city, two copies on ${tmpdir()} (ext4 here), ${rounds} interleaved rounds; medians. ` +
				`Load average before ${loadBefore}, after ${loadAfter}. One fdatasync of a 4 KB append on that disk: ${fsync.toFixed(2)} ms (median of 200). ` +
				`PRAGMA synchronous checked on each side (1, 2). Command: \`BENCH_ONLY=sqlite-sync npm run bench\`.`,
			'',
			table(
				['path (one commit unless said)', 'normal', 'full', 'full / normal', 'difference'],
				[
					row(`scan ingest, batch of ${BATCH} events`, n.ms.scans, f.ms.scans),
					row('declaration (revoke the old pair, issue a new one)', n.ms.declarations, f.ms.declarations),
					row(`risk area: recolour ${rec?.evaluated ?? 0} evaluated, ${rec?.changed ?? 0} changed (chunk commits)`, n.ms.area, f.ms.area),
					row('end of the risk area: recolour them back', n.ms.areaEnd, f.ms.areaEnd)
				]
			),
			''
		].join('\n');
	} finally {
		for (const s of sides) await s.opened.close();
		rmSync(work, { recursive: true, force: true });
	}
}
