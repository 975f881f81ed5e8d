/**
 * What the scenarios share: a city on a storage with its phones onboarded and its scanners enrolled (each built on
 * the apps' own client code, sim/), a concurrency pool, percentiles, and the zero-loss check of scan logs against
 * the server (every entry of every device's own log stored exactly once).
 */
import { openDatabase } from '../../src/lib/server/store/open.js';
import { deviceScanEvents } from '../../src/lib/server/store/scans.js';
import { enrolScanners, readOtp, rootPublicKey, seedCity } from './city.js';
import type { DrillScale } from './scenario.js';
import { DrillServer, type Storage } from './servers.js';
import { installDrillGlobals, NetStats } from './sim/device-context.js';
import { SimResident } from './sim/sim-resident.js';
import { SimScanner } from './sim/sim-scanner.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `concurrency` at once. */
export async function pool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
	const out = new Array<R>(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(concurrency, items.length) }, async () => {
			while (next < items.length) {
				const i = next++;
				out[i] = await fn(items[i]!, i);
			}
		})
	);
	return out;
}

export function percentile(xs: readonly number[], p: number): number {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(n === d ? 0 : 2)} %`);
export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : '—');

export interface City {
	storage: Storage;
	residents: SimResident[];
	scanners: SimScanner[];
	stats: NetStats;
	/** where the devices' requests go (a server or the proxy); changed by scenarios that move it */
	origin: { current: string };
	/** onboarding failures by code (should be none) */
	onboardFailures: Map<string, number>;
}

/**
 * Seeds the city, onboards `residents` phones (sign-in, declaration, first sync) and enrols and initialises
 * `scanners` scanners, through `server` (already started). `clock` is the devices' drill clock.
 */
export async function buildCity(
	scale: Pick<DrillScale, 'residents' | 'scanners'>,
	storage: Storage,
	server: DrillServer,
	clock: () => number,
	log: (line: string) => void,
	opts: { skews?: (i: number) => number; seeded?: boolean; cityResidents?: number } = {}
): Promise<City> {
	installDrillGlobals();
	const stats = new NetStats();
	const origin = { current: server.origin };
	const at = () => origin.current;
	const t0 = Date.now();
	const identities = await seedCity(storage, scale.residents, opts.cityResidents);
	log(`  seeded the city (${scale.residents} residents with a phone) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	const residents = identities.map((id, i) => new SimResident(id, i + 1, at, stats, clock, opts.skews?.(i) ?? 0));
	const onboardFailures = new Map<string, number>();
	const t1 = Date.now();
	await pool(residents, 8, async (r) => {
		const failure = await r.onboard((phone) => readOtp(at, phone));
		if (failure) onboardFailures.set(failure, (onboardFailures.get(failure) ?? 0) + 1);
	});
	log(
		`  onboarded ${residents.length} phones in ${((Date.now() - t1) / 1000).toFixed(1)} s (failures: ${JSON.stringify(Object.fromEntries(onboardFailures))})`
	);
	const t2 = Date.now();
	const root = await rootPublicKey(server.origin);
	const enrolments = await enrolScanners(server.origin, scale.scanners);
	const scanners = enrolments.map((e, i) => new SimScanner(e, root, i + 1, at, stats, clock));
	await pool(scanners, 8, (s) => s.init());
	log(`  enrolled and initialised ${scanners.length} scanners in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
	stats.reset();
	return { storage, residents, scanners, stats, origin, onboardFailures };
}

export interface LogCheck {
	/** entries in the devices' own logs */
	logged: number;
	/** of those, stored on the server */
	stored: number;
	/** acknowledged to the device (uploaded) but not on the server: lost */
	missing: number;
	/** still pending on the device and not on the server: not delivered yet (not lost) */
	undelivered: number;
	/** refused by the server item by item (kept on the device with the reason) */
	rejected: number;
	/** server rows beyond the devices' entries (a duplicate could only show here) */
	extra: number;
	/** entries the devices still hold as pending (not acknowledged) */
	pending: number;
	/** devices whose server rows differ from their log */
	badDevices: string[];
}

/**
 * Every scanner's own log against the server's scan_events, device by device: each entry stored exactly once
 * (same event id at the same seq) and nothing else stored for the device. Reads the database directly.
 */
export async function checkLogs(storage: Storage, scanners: readonly SimScanner[]): Promise<LogCheck> {
	const opened = await openDatabase(storage.databaseUrl ? { databaseUrl: storage.databaseUrl } : { dataDir: storage.dataDir });
	const out: LogCheck = { logged: 0, stored: 0, missing: 0, undelivered: 0, rejected: 0, extra: 0, pending: 0, badDevices: [] };
	try {
		for (const s of scanners) {
			const log = await s.log();
			const rows = await deviceScanEvents(opened.db, s.enrolment.deviceId, { from: 0 });
			const bySeq = new Map(rows.map((r) => [r.seq, r.event_id]));
			const ids = new Set(rows.map((r) => r.event_id));
			let ok = ids.size === rows.length;
			for (const e of log) {
				out.logged++;
				if (e.state === 'pending') out.pending++;
				if (bySeq.get(e.seq) === e.eventId) out.stored++;
				else if (e.state === 'pending') out.undelivered++;
				else if (e.state === 'rejected') out.rejected++;
				else {
					out.missing++;
					ok = false;
				}
			}
			const extra = rows.length - log.filter((e) => bySeq.get(e.seq) === e.eventId).length;
			if (extra > 0) {
				out.extra += extra;
				ok = false;
			}
			if (!ok) out.badDevices.push(s.enrolment.deviceId);
		}
	} finally {
		await opened.close();
	}
	return out;
}

/** Scans: each scanner scans `perScanner` residents' codes as shown now (phones chosen round-robin). */
export async function scanRound(city: City, perScanner: number, offset = 0): Promise<{ scans: number; valid: number; shown: number }> {
	let scans = 0,
		valid = 0,
		shown = 0;
	await pool(city.scanners, 4, async (s, si) => {
		for (let k = 0; k < perScanner; k++) {
			const r = city.residents[(offset + si * perScanner + k) % city.residents.length]!;
			const code = await r.show();
			if (code.state !== 'valid' || !code.text) continue;
			shown++;
			const v = await s.scan(code.text);
			scans++;
			if (v.verdict === 'valid') valid++;
		}
	});
	return { scans, valid, shown };
}
