/**
 * Scenario 5, disk full and read-only data directory (docs/drills.md §5), on real file systems under the running
 * server (`node build`, SQLite), with scanners uploading and a resident refreshing codes and declaring:
 *
 * A. Disk full: DATA_DIR on a small tmpfs; mid-traffic a filler file takes every free byte. Writes must be answered
 *    503 storage/full (or storage/io-error) with Retry-After — never 500 — while reads (codes) go on; the filler is
 *    deleted and, with no restart, writes succeed again. Then every scanner's log is on the server exactly once,
 *    SQLite's integrity check passes and every scan chain hashes and links.
 * B. Read-only: DATA_DIR on an ext4 image mounted errors=remount-ro; mid-traffic the kernel is told the file system
 *    has an error (/sys/fs/ext4/DEV/trigger_fs_error) and remounts it read-only, as it does on a real disk fault.
 *    Writes must be answered 503 storage/read-only or storage/io-error with Retry-After, reads go on. Linux does not
 *    let an errored ext4 go back to read-write while mounted, so recovery is the operator's: stop the server, fsck,
 *    mount, start — then the same checks as in A.
 *
 * Both need root (mount, loop devices); without it the scenario reports that it did not run, and fails.
 */
import { execFile, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { ensureBuild, signIn, startServer, stopServer, type Server } from '../../../bench/server.js';
import { databaseManifest } from '../../../src/lib/server/store/database-manifest.js';
import { openDatabase } from '../../../src/lib/server/store/open.js';
import type { DrillRow, Scenario } from '../scenario.js';
import {
	compareLogs,
	drain,
	enrolScanners,
	lostAfterAck,
	newStats,
	startTraffic,
	storedLogs,
	type SimScanner,
	type Target,
	type TrafficStats
} from './dr-traffic.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TMPFS_MB = 256;
const EXT4_MB = 256;

function sh(cmd: string, args: string[]): string {
	return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function seed(dataDir: string, residents: number): Promise<void> {
	const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, TONGXING_MODE: 'demo' };
	delete env.DATABASE_URL;
	await execFileAsync(process.execPath, ['bin/tongxing.js', 'seed', '--residents', String(residents)], {
		cwd: ROOT,
		env,
		encoding: 'utf8'
	});
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

const count = (stats: TrafficStats, prefix: string) =>
	Object.entries(stats.answers)
		.filter(([k]) => k.startsWith(prefix))
		.reduce((a, [, n]) => a + n, 0);

/** After recovery: every scan exactly once, SQLite's integrity check, every scan chain intact. */
async function checkData(dataDir: string, scanners: SimScanner[], label: string, failures: string[]): Promise<DrillRow[]> {
	const logs = compareLogs(scanners, await storedLogs(dataDir));
	const o = await openDatabase({ dataDir });
	let integrity: string;
	let broken: number;
	try {
		integrity = String((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(o.db)).rows[0]?.integrity_check);
		broken = Object.values((await databaseManifest(o.db)).scanChains).reduce((a, c) => a + c.broken, 0);
	} finally {
		await o.close();
	}
	if (logs.lost || logs.extra || logs.altered)
		failures.push(`${label}: ${logs.lost} scans lost, ${logs.extra} duplicated, ${logs.altered} altered`);
	if (integrity !== 'ok') failures.push(`${label}: SQLite integrity check: ${integrity}`);
	if (broken) failures.push(`${label}: ${broken} stored scans do not hash or link`);
	const scans = scanners.reduce((a, s) => a + s.log.length, 0);
	return [
		{
			metric: `${label}: scans lost / duplicated afterwards`,
			value: `${logs.lost} / ${logs.extra} of ${scans}`,
			target: '0 / 0',
			ok: !logs.lost && !logs.extra
		},
		{
			metric: `${label}: SQLite integrity check, scan chains`,
			value: `${integrity}, ${broken} broken`,
			target: 'ok, 0 broken',
			ok: integrity === 'ok' && broken === 0
		}
	];
}

function answerRows(label: string, stats: TrafficStats, failures: string[]): DrillRow[] {
	if (stats.serverErrors) failures.push(`${label}: ${stats.serverErrors} answers were 5xx other than 503`);
	if (stats.missingRetryAfter) failures.push(`${label}: ${stats.missingRetryAfter} 503 answers had no Retry-After`);
	return [
		{
			metric: `${label}: answers`,
			value: Object.entries(stats.answers)
				.map(([k, n]) => `${k}: ${n}`)
				.join(', ')
		},
		{
			metric: `${label}: 5xx other than 503, 503 without Retry-After`,
			value: `${stats.serverErrors}, ${stats.missingRetryAfter}`,
			target: '0, 0',
			ok: !stats.serverErrors && !stats.missingRetryAfter
		}
	];
}

interface Setup {
	server: Server;
	scanners: SimScanner[];
	target: Target;
	stats: TrafficStats;
	traffic: { stop: () => Promise<void> };
}

async function begin(dataDir: string, residents: number, scannerCount: number): Promise<Setup> {
	await seed(dataDir, residents);
	const scanners = await enrolScanners(dataDir, scannerCount);
	const server = await startServer(dataDir);
	const resident = await signIn(server);
	const target: Target = { port: server.port };
	const stats = newStats();
	return { server, scanners, target, stats, traffic: startTraffic(target, scanners, resident, stats) };
}

async function diskFull(
	work: string,
	scale: { residents: number; scanners: number; seconds: number },
	log: (l: string) => void,
	failures: string[]
): Promise<DrillRow[]> {
	const mnt = join(work, 'tmpfs');
	mkdirSync(mnt);
	sh('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m,mode=0700`, 'tmpfs', mnt]);
	let setup: Setup | undefined;
	try {
		const dataDir = join(mnt, 'data');
		setup = await begin(dataDir, scale.residents, scale.scanners);
		const { stats, target, scanners } = setup;
		const phase = Math.max(4, scale.seconds / 4) * 1000;
		await sleep(phase);
		log(`filling the ${TMPFS_MB} MB tmpfs…`);
		const filler = join(mnt, 'filler');
		const readsBefore = { ...stats.reads };
		const filled = fill(filler);
		const fullAt = performance.now();
		const sawFull = await until(() => count(stats, '503 storage/') > 0, 30_000);
		const fullAfterS = (performance.now() - fullAt) / 1000;
		await sleep(phase);
		const alive = setup.server.proc.exitCode === null && setup.server.proc.signalCode === null;
		if (!alive) failures.push('A: the server exited while the disk was full');
		const readsOk = stats.reads.ok - readsBefore.ok;
		const readsFailed = stats.reads.failed - readsBefore.failed;
		if (readsFailed) failures.push(`A: ${readsFailed} code refreshes failed while the disk was full`);
		const storageAnswers = count(stats, '503 storage/');
		const okBefore = stats.answers['200'] ?? 0;
		unlinkSync(filler);
		const freedAt = performance.now();
		const recovered = await until(() => (stats.answers['200'] ?? 0) > okBefore + scale.scanners, 60_000);
		const recoverS = (performance.now() - freedAt) / 1000;
		await sleep(phase);
		await setup.traffic.stop();
		const drained = await drain(target, scanners, stats, 60_000);
		if (!sawFull) failures.push('A: no request was answered 503 storage/* in 30 s after the disk filled');
		if (!recovered) failures.push('A: writes did not succeed again within 60 s after space returned');
		if (!drained) failures.push('A: the scanners could not upload their logs after space returned');
		await stopServer(setup.server.proc);
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
				metric: 'A: server kept running; code refreshes answered 200/304 while full',
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
			...answerRows('A', stats, failures),
			...(await checkData(dataDir, scanners, 'A', failures))
		];
	} finally {
		if (setup) {
			await setup.traffic.stop();
			await stopServer(setup.server.proc);
		}
		sh('umount', [mnt]);
	}
}

async function readOnly(
	work: string,
	scale: { residents: number; scanners: number; seconds: number },
	log: (l: string) => void,
	failures: string[]
): Promise<DrillRow[]> {
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
		const dataDir = join(mnt, 'data');
		setup = await begin(dataDir, scale.residents, scale.scanners);
		const { stats, target, scanners } = setup;
		const phase = Math.max(4, scale.seconds / 4) * 1000;
		await sleep(phase);
		const dev = basename(sh('findmnt', ['-n', '-o', 'SOURCE', mnt]).trim());
		log(`the kernel remounts ${dev} read-only…`);
		const readsBefore = { ...stats.reads };
		writeFileSync(`/sys/fs/ext4/${dev}/trigger_fs_error`, '1');
		const roAt = performance.now();
		const sawRo = await until(() => count(stats, '503 storage/') > 0, 30_000);
		const roAfterS = (performance.now() - roAt) / 1000;
		await sleep(phase);
		const alive = setup.server.proc.exitCode === null && setup.server.proc.signalCode === null;
		if (!alive) failures.push('B: the server exited when the data directory became read-only');
		const codes = Object.keys(stats.answers).filter((k) => k.startsWith('503 storage/'));
		await setup.traffic.stop();
		const readsOk = stats.reads.ok - readsBefore.ok;
		const readsFailed = stats.reads.failed - readsBefore.failed;
		if (readsFailed) failures.push(`B: ${readsFailed} code refreshes failed while the data directory was read-only`);
		if (!sawRo) failures.push('B: no request was answered 503 storage/* in 30 s after the remount');

		// the operator's recovery: stop, fsck, mount, start
		log('recovery: stop the server, fsck, mount, start…');
		const t0 = performance.now();
		await stopServer(setup.server.proc);
		sh('umount', [mnt]);
		mounted = false;
		try {
			sh('e2fsck', ['-fy', image]);
		} catch {
			// exit 1: errors corrected (the error flag the trigger set); worse exits are reported by the data checks
		}
		mount();
		mounted = true;
		const lostAcked = lostAfterAck(scanners, await storedLogs(dataDir));
		const server = await startServer(dataDir);
		setup.server = server;
		target.port = server.port;
		// the scanners go on scanning; the server's gap reports bring back what it acknowledged and then lost
		const again = startTraffic(target, scanners, undefined, stats);
		await sleep(3_000);
		await again.stop();
		const drained = await drain(target, scanners, stats, 60_000);
		const recoverS = (performance.now() - t0) / 1000;
		if (!drained) failures.push('B: the scanners could not upload their logs after the restart');
		await stopServer(server.proc);
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
				metric: 'B: server kept running; code refreshes answered 200/304 while read-only',
				value: `${alive ? 'yes' : 'no'}; ${readsOk} of ${readsOk + readsFailed}`,
				target: 'yes; all',
				ok: alive && readsFailed === 0 && readsOk > 0
			},
			{
				metric: `B: scans acknowledged, then lost with the remount (SQLite synchronous=${process.env.TONGXING_SQLITE_SYNCHRONOUS ?? 'normal'}), sent again on the gap report`,
				value: String(lostAcked)
			},
			{
				metric: 'B: recovery (stop, fsck, mount, start, scanners upload)',
				value: `${recoverS.toFixed(1)} s, by the operator (the kernel keeps an errored ext4 read-only)`
			},
			...answerRows('B', stats, failures),
			...(await checkData(dataDir, scanners, 'B', failures))
		];
	} finally {
		if (setup) {
			await setup.traffic.stop();
			await stopServer(setup.server.proc);
		}
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
	ensureBuild();
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
