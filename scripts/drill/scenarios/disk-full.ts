/**
 * Scenario 5, disk full and read-only data directory (docs/drills.md §5), on real file systems under the running
 * server (`node build`, SQLite), with the drill's simulated scanners (sim/, the scanner PWA's own client code)
 * scanning and uploading and a few phones (the resident PWA's) refreshing codes and declaring:
 *
 * A. Disk full: DATA_DIR on a small tmpfs; mid-traffic a filler file takes every free byte. Writes must be answered
 *    503 storage/full (or storage/io-error) with Retry-After — never 500 — while reads (codes) go on; the filler is
 *    deleted and, with no restart, writes succeed again. Then every scanner's log is on the server exactly once,
 *    SQLite's integrity check passes, every scan chain hashes and links, and every declaration a phone saw
 *    acknowledged is on the server.
 * B. Read-only: DATA_DIR on an ext4 image mounted errors=remount-ro; mid-traffic the kernel is told the file system
 *    has an error (/sys/fs/ext4/DEV/trigger_fs_error) and remounts it read-only, as it does on a real disk fault.
 *    Writes must be answered 503 storage/read-only or storage/io-error with Retry-After, reads go on. Linux does not
 *    let an errored ext4 go back to read-write while mounted, so recovery is the operator's: stop the server, fsck,
 *    mount, start — then the same checks as in A.
 *
 * Both need root (mount, loop devices); without it the scenario reports that it did not run, and fails.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { databaseManifest } from '../../../src/lib/server/store/database-manifest.js';
import { openDatabase } from '../../../src/lib/server/store/open.js';
import { buildCity, checkLogs, sleep, type City } from '../harness.js';
import type { DrillRow, DrillScale, Scenario } from '../scenario.js';
import { DrillServer, sqliteStorage, type Storage } from '../servers.js';
import {
	answerList,
	countAnswers,
	declarationsKept,
	drainScanners,
	scanOnce,
	shownTexts,
	startTraffic,
	watchAnswers,
	type Answers,
	type Traffic
} from './sim-traffic.js';

const TMPFS_MB = 256;
const EXT4_MB = 256;
/** phones that refresh and declare during the traffic */
const ACTIVE_PHONES = 5;
/** traffic after the restart: every scanner (one scan a second) uploads a new scan, and the server's gap report follows */
const CATCH_UP_MS = 1_500;

function sh(cmd: string, args: string[]): string {
	return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Fills the file system holding `path` to the last byte (ENOSPC); returns the bytes written. */
function fill(path: string): number {
	const fd = openSync(path, 'w');
	let written = 0;
	try {
		for (const size of [1 << 20, 1 << 12, 1]) {
			const chunk = Buffer.alloc(size, 0x5a);
			for (;;) {
				try {
					written += writeSync(fd, chunk);
				} catch (e) {
					if ((e as { code?: string }).code === 'ENOSPC') break;
					throw e;
				}
			}
		}
	} finally {
		closeSync(fd);
	}
	return written;
}

/** Waits until `pred` holds (checked every 100 ms) or `ms` pass; returns whether it held. */
async function until(pred: () => boolean, ms: number): Promise<boolean> {
	const end = performance.now() + ms;
	while (!pred()) {
		if (performance.now() > end) return false;
		await sleep(100);
	}
	return true;
}

/** Scan uploads the scanners saw succeed so far. */
const goodUploads = (city: City) => city.scanners.reduce((a, s) => a + s.uploads - s.failedUploads, 0);

/** With the server up: every scanner's log delivered, every acknowledged declaration on the server (the phones sync). */
async function deliver(setup: Setup, label: string, failures: string[]): Promise<DrillRow[]> {
	const drained = await drainScanners(setup.city, 60_000);
	if (!drained) failures.push(`${label}: the scanners could not upload their logs after the recovery`);
	const kept = await declarationsKept(setup.city, setup.traffic.acknowledged);
	if (kept.lost) failures.push(`${label}: ${kept.lost} acknowledged declarations are not on the server`);
	if (kept.unsynced) failures.push(`${label}: ${kept.unsynced} phones could not sync after the recovery`);
	return [
		{
			metric: `${label}: acknowledged declarations missing afterwards; phones not syncing`,
			value: `${kept.lost} of ${kept.checked} phones' newest; ${kept.unsynced}`,
			target: '0; 0',
			ok: kept.lost === 0 && kept.unsynced === 0
		}
	];
}

/** With the server stopped: every scan exactly once, SQLite's integrity check, every scan chain intact. */
async function checkData(storage: Storage, city: City, label: string, failures: string[]): Promise<DrillRow[]> {
	const logs = await checkLogs(storage, city.scanners);
	const o = await openDatabase({ dataDir: storage.dataDir });
	let integrity: string;
	let broken: number;
	try {
		integrity = String((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(o.db)).rows[0]?.integrity_check);
		broken = Object.values((await databaseManifest(o.db)).scanChains).reduce((a, c) => a + c.broken, 0);
	} finally {
		await o.close();
	}
	if (logs.missing || logs.extra || logs.undelivered)
		failures.push(`${label}: ${logs.missing} scans lost, ${logs.extra} duplicated/extra, ${logs.undelivered} not delivered`);
	if (integrity !== 'ok') failures.push(`${label}: SQLite integrity check: ${integrity}`);
	if (broken) failures.push(`${label}: ${broken} stored scans do not hash or link`);
	return [
		{
			metric: `${label}: scans lost / duplicated afterwards`,
			value: `${logs.missing} / ${logs.extra} of ${logs.logged}`,
			target: '0 / 0',
			ok: !logs.missing && !logs.extra && !logs.undelivered
		},
		{
			metric: `${label}: SQLite integrity check, scan chains`,
			value: `${integrity}, ${broken} broken`,
			target: 'ok, 0 broken',
			ok: integrity === 'ok' && broken === 0
		}
	];
}

function answerRows(label: string, a: Answers, failures: string[]): DrillRow[] {
	if (a.serverErrors) failures.push(`${label}: ${a.serverErrors} answers were 5xx other than 503`);
	if (a.missingRetryAfter) failures.push(`${label}: ${a.missingRetryAfter} 503 answers had no Retry-After`);
	return [
		{ metric: `${label}: answers`, value: answerList(a) },
		{
			metric: `${label}: 5xx other than 503, 503 without Retry-After`,
			value: `${a.serverErrors}, ${a.missingRetryAfter}`,
			target: '0, 0',
			ok: !a.serverErrors && !a.missingRetryAfter
		}
	];
}

interface Setup {
	storage: Storage;
	server: DrillServer;
	city: City;
	texts: string[];
	watch: ReturnType<typeof watchAnswers>;
	traffic: Traffic;
}

/** A city on `dataDir` (a mounted file system), its server, and the devices' traffic running. */
async function begin(dataDir: string, scale: DrillScale, log: (l: string) => void): Promise<Setup> {
	const storage = sqliteStorage(dataDir);
	const server = new DrillServer(storage);
	await server.start();
	const size = { residents: Math.max(20, Math.min(1_000, Math.round(scale.residents / 25))), scanners: Math.min(200, scale.scanners) };
	const city = await buildCity(size, storage, server, Date.now, log, { cityResidents: scale.residents });
	const watch = watchAnswers();
	const texts = await shownTexts(city);
	return { storage, server, city, texts, watch, traffic: startTraffic(city, texts, { phones: ACTIVE_PHONES }) };
}

async function end(setup: Setup): Promise<void> {
	await setup.traffic.stop();
	setup.watch.stop();
	await setup.server.stop();
}

async function diskFull(work: string, scale: DrillScale, log: (l: string) => void, failures: string[]): Promise<DrillRow[]> {
	const mnt = join(work, 'tmpfs');
	mkdirSync(mnt);
	sh('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m,mode=0700`, 'tmpfs', mnt]);
	let setup: Setup | undefined;
	try {
		setup = await begin(join(mnt, 'data'), scale, log);
		const { watch, traffic, city } = setup;
		const phase = Math.max(4, scale.seconds / 4) * 1000;
		await sleep(phase);
		log(`filling the ${TMPFS_MB} MB tmpfs…`);
		const filler = join(mnt, 'filler');
		const readsBefore = { ...traffic.reads };
		const filled = fill(filler);
		const fullAt = performance.now();
		const sawFull = await until(() => countAnswers(watch.answers, '503 storage/') > 0, 30_000);
		const fullAfterS = (performance.now() - fullAt) / 1000;
		await sleep(phase);
		const alive = setup.server.running;
		if (!alive) failures.push('A: the server exited while the disk was full');
		const readsOk = traffic.reads.ok - readsBefore.ok;
		const readsFailed = traffic.reads.failed - readsBefore.failed;
		if (readsFailed) failures.push(`A: ${readsFailed} code refreshes failed while the disk was full`);
		const storageAnswers = countAnswers(watch.answers, '503 storage/');
		const okBefore = goodUploads(city);
		unlinkSync(filler);
		const freedAt = performance.now();
		const recovered = await until(() => goodUploads(city) > okBefore + city.scanners.length, 60_000);
		const recoverS = (performance.now() - freedAt) / 1000;
		await traffic.stop();
		if (!sawFull) failures.push('A: no request was answered 503 storage/* in 30 s after the disk filled');
		if (!recovered) failures.push('A: writes did not succeed again within 60 s after space returned');
		const delivered = await deliver(setup, 'A', failures);
		await end(setup);
		const { storage } = setup;
		setup = undefined;
		return [
			{ metric: 'A (disk full): tmpfs, filler', value: `${TMPFS_MB} MB, ${(filled / 1e6).toFixed(1)} MB written to fill it` },
			{
				metric: 'A: first 503 storage/* after the disk filled',
				value: sawFull ? `${fullAfterS.toFixed(1)} s` : 'none',
				target: 'yes',
				ok: sawFull
			},
			{ metric: 'A: answers 503 storage/* while full', value: String(storageAnswers) },
			{
				metric: 'A: server kept running; code refreshes (sync rounds) answered while full',
				value: `${alive ? 'yes' : 'no'}; ${readsOk} of ${readsOk + readsFailed}`,
				target: 'yes; all',
				ok: alive && readsFailed === 0
			},
			{
				metric: 'A: writes succeed again after space returned (no restart)',
				value: recovered ? `${recoverS.toFixed(1)} s` : 'no',
				target: 'yes',
				ok: recovered
			},
			...answerRows('A', watch.answers, failures),
			...delivered,
			...(await checkData(storage, city, 'A', failures))
		];
	} finally {
		if (setup) await end(setup);
		sh('umount', [mnt]);
	}
}

async function readOnly(work: string, scale: DrillScale, log: (l: string) => void, failures: string[]): Promise<DrillRow[]> {
	const image = join(work, 'ext4.img');
	const mnt = join(work, 'ext4');
	mkdirSync(mnt);
	writeFileSync(image, '');
	sh('truncate', ['-s', `${EXT4_MB}M`, image]);
	sh('mkfs.ext4', ['-q', '-F', image]);
	const mount = () => sh('mount', ['-o', 'loop,errors=remount-ro', image, mnt]);
	mount();
	let setup: Setup | undefined;
	let mounted = true;
	try {
		setup = await begin(join(mnt, 'data'), scale, log);
		const { watch, traffic, city, server, storage } = setup;
		const phase = Math.max(4, scale.seconds / 4) * 1000;
		await sleep(phase);
		const dev = basename(sh('findmnt', ['-n', '-o', 'SOURCE', mnt]).trim());
		log(`the kernel remounts ${dev} read-only…`);
		const readsBefore = { ...traffic.reads };
		writeFileSync(`/sys/fs/ext4/${dev}/trigger_fs_error`, '1');
		const roAt = performance.now();
		const sawRo = await until(() => countAnswers(watch.answers, '503 storage/') > 0, 30_000);
		const roAfterS = (performance.now() - roAt) / 1000;
		await sleep(phase);
		const alive = server.running;
		if (!alive) failures.push('B: the server exited when the data directory became read-only');
		const codes = Object.keys(watch.answers.answers).filter((k) => k.startsWith('503 storage/'));
		await traffic.stop();
		const readsOk = traffic.reads.ok - readsBefore.ok;
		const readsFailed = traffic.reads.failed - readsBefore.failed;
		if (readsFailed) failures.push(`B: ${readsFailed} code refreshes failed while the data directory was read-only`);
		if (!sawRo) failures.push('B: no request was answered 503 storage/* in 30 s after the remount');

		// the operator's recovery: stop, fsck, mount, start (on the same port: the devices keep their origin)
		log('recovery: stop the server, fsck, mount, start…');
		const t0 = performance.now();
		await server.stop();
		sh('umount', [mnt]);
		mounted = false;
		try {
			sh('e2fsck', ['-fy', image]);
		} catch {
			// exit 1: errors corrected (the error flag the trigger set); worse exits are reported by the data checks
		}
		mount();
		mounted = true;
		const lostAcked = (await checkLogs(storage, city.scanners)).missing;
		// with synchronous=FULL (the default) every acknowledged commit was fsynced before its answer: none may be missing
		const synchronous = process.env.TONGXING_SQLITE_SYNCHRONOUS ?? 'full';
		if (lostAcked && synchronous === 'full')
			failures.push(`B: ${lostAcked} acknowledged scans were lost with the remount (synchronous=full)`);
		await server.start();
		// the scanners go on scanning; the server's gap reports bring back what it acknowledged and then lost
		const again = startTraffic(city, setup.texts, { phones: 0 });
		await sleep(CATCH_UP_MS);
		await again.stop();
		await scanOnce(setup.city, setup.texts);
		const delivered = await deliver(setup, 'B', failures);
		const recoverS = (performance.now() - t0) / 1000;
		await end(setup);
		setup = undefined;
		return [
			{
				metric: 'B (read-only): ext4 image remounted read-only by the kernel',
				value: `${EXT4_MB} MB, errors=remount-ro, trigger_fs_error`
			},
			{
				metric: 'B: first 503 storage/* after the remount',
				value: sawRo ? `${roAfterS.toFixed(1)} s (${codes.join(', ')})` : 'none',
				target: 'yes',
				ok: sawRo
			},
			{
				metric: 'B: server kept running; code refreshes (sync rounds) answered while read-only',
				value: `${alive ? 'yes' : 'no'}; ${readsOk} of ${readsOk + readsFailed}`,
				target: 'yes; all',
				ok: alive && readsFailed === 0 && readsOk > 0
			},
			{
				metric: `B: scans acknowledged, then lost with the remount (SQLite synchronous=${synchronous}; with normal they come back on the gap report)`,
				value: String(lostAcked),
				...(synchronous === 'full' ? { target: '0', ok: lostAcked === 0 } : {})
			},
			{
				metric: 'B: recovery (stop, fsck, mount, start, scanners upload, phones sync)',
				value: `${recoverS.toFixed(1)} s, by the operator (the kernel keeps an errored ext4 read-only)`
			},
			...answerRows('B', watch.answers, failures),
			...delivered,
			...(await checkData(storage, city, 'B', failures))
		];
	} finally {
		if (setup) await end(setup);
		if (mounted) sh('umount', [mnt]);
	}
}

/**
 * Why this machine cannot run scenario 5, or undefined when it can: it needs root, ext4 with a free loop device
 * and mkfs.ext4, and permission to mount (a container may be root yet refuse mount(2)). Probed for real with a
 * 1 MB tmpfs, so a spec can skip with the reason instead of failing on the machine rather than the product.
 */
export function mountsUnavailable(): string | undefined {
	if (process.getuid?.() !== 0) return 'needs root (tmpfs and loop mounts)';
	if (!existsSync('/sys/fs/ext4')) return 'needs ext4 in the kernel';
	try {
		sh('mkfs.ext4', ['-V']);
		sh('losetup', ['-f']);
	} catch {
		return 'needs mkfs.ext4 and a free loop device';
	}
	const probe = mkdtempSync(join(tmpdir(), 'tongxing-mount-probe-'));
	try {
		sh('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
		sh('umount', [probe]);
		return undefined;
	} catch {
		return 'mount(2) is not permitted here';
	} finally {
		rmSync(probe, { recursive: true, force: true });
	}
}

export const run: Scenario = async (scale, log) => {
	const failures: string[] = [];
	const rows: DrillRow[] = [];
	const unavailable = mountsUnavailable();
	if (unavailable !== undefined) {
		return {
			scenario: '5. Disk full and read-only',
			rows: [{ metric: 'run', value: `not run: ${unavailable}`, ok: false }],
			failures: [`scenario 5 did not run: ${unavailable}`]
		};
	}
	const work = mkdtempSync(join(tmpdir(), 'tongxing-drill-disk-'));
	try {
		rows.push(...(await diskFull(work, scale, log, failures)));
		rows.push(...(await readOnly(work, scale, log, failures)));
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
	return { scenario: '5. Disk full and read-only', rows, failures };
};
