/**
 * Scenario 4, disaster recovery (docs/drills.md §4): the real server (`node build`) with a seeded city, on SQLite and,
 * when TEST_DATABASE_URL is set, on PostgreSQL (a schema of its own; backed up with pg_dump). The drill's simulated
 * scanners and phones (sim/, the PWAs' own client code) scan, upload, refresh codes and declare; `tongxing backup`
 * runs while that traffic goes on; later the machine is "lost" (the server stopped, its data never read again),
 * `tongxing restore` fills a fresh DATA_DIR (PostgreSQL: and the database, its schema dropped with the lost machine), a new server starts on it, the
 * devices are pointed at it, and the drill checks:
 *   - restore's own check: every table count, scan chain (recomputed hashes), status list and audit digest as the
 *     backup's manifest says;
 *   - the key files come back byte for byte (from the encrypted archive, kept in a separate folder);
 *   - every phone's session works on the restored server; every phone's code, as the app shows it, verifies on a
 *     scanner that refreshed its trust and status lists from the restored server; the phones that did not declare
 *     during the traffic still show the code issued before the backup;
 *   - every declaration acknowledged before the backup began is on the restored server (later ones are the recovery
 *     point: reported, not lost by the product);
 *   - the scanners, which keep their own logs, go on scanning: the restored server reports the seqs it lacks as gaps,
 *     the app's sync sends them again, and afterwards every scanner's log is on the server exactly once;
 *   - no 5xx other than 503, none without Retry-After.
 * At the full scale it also times `tongxing backup` of the 100,000-resident city (DRILL_CITY_DIR: a data directory
 * holding one, e.g. bench/city-cache.ts's folder; without it that row says it was not measured).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { childEnv } from '../../../bench/server.js';
import type { DrillRow, DrillScale, Scenario } from '../scenario.js';
import { buildCity, checkLogs, pool, sleep } from '../harness.js';
import { DrillServer, onEachEngine, postgresRestoreTarget, sqliteStorage, type Storage } from '../servers.js';
import {
	answerList,
	declarationsKept,
	drainScanners,
	reasonList,
	scanOnce,
	shownTexts,
	startTraffic,
	verifyPhones,
	watchAnswers
} from './sim-traffic.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const execFileAsync = promisify(execFile);
const PASSPHRASE = 'drill passphrase, not for production';
/** phones that refresh and declare during the traffic (the others only show their codes to the scanners) */
const ACTIVE_PHONES = 5;
/** traffic on the restored server: every scanner (one scan a second) uploads a new scan, and the server's gap report follows */
const CATCH_UP_MS = 1_500;

interface Cli {
	code: number;
	stdout: string;
	stderr: string;
	ms: number;
}

async function tongxing(env: NodeJS.ProcessEnv, args: string[]): Promise<Cli> {
	const t0 = performance.now();
	try {
		const r = await execFileAsync(process.execPath, ['bin/tongxing.js', ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 24 });
		return { code: 0, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
	} catch (e) {
		const x = e as { code?: number; stdout?: string; stderr?: string };
		return {
			code: typeof x.code === 'number' ? x.code : 1,
			stdout: x.stdout ?? '',
			stderr: x.stderr ?? String(e),
			ms: performance.now() - t0
		};
	}
}

const onStorage = (s: Storage, args: string[]) => tongxing(s.env({ TONGXING_BACKUP_PASSPHRASE: PASSPHRASE }), args);

function filesUnder(dir: string, base = dir): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? filesUnder(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)]
	);
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Times `tongxing backup --no-keys` of a seeded city's data directory (read-only use of it: the copy goes to a temp folder). */
async function cityBackup(log: (line: string) => void): Promise<DrillRow[]> {
	const city = process.env.DRILL_CITY_DIR;
	if (!city || !existsSync(join(city, 'tongxing.sqlite'))) {
		return [{ metric: 'backup of the 100,000-resident city', value: 'not measured (set DRILL_CITY_DIR to a seeded city data directory)' }];
	}
	const out = mkdtempSync(join(tmpdir(), 'tongxing-drill-city-backup-'));
	try {
		log(`backing up the city in ${city}…`);
		const r = await tongxing(childEnv(city), ['backup', join(out, 'b'), '--no-keys']);
		if (r.code !== 0) return [{ metric: 'backup of the city', value: `failed: ${r.stderr.trim()}`, ok: false }];
		const m = JSON.parse(readFileSync(join(out, 'b', 'manifest.json'), 'utf8')) as {
			ms: number;
			databaseBytes: number;
			database: { manifest: { counts: Record<string, number> } };
		};
		const people = m.database.manifest.counts.people ?? 0;
		return [
			{ metric: `city backup: residents (people rows)`, value: String(people) },
			{ metric: 'city backup: database copy time', value: `${(m.ms / 1000).toFixed(1)} s` },
			{ metric: 'city backup: whole command (copy + manifest + checksum)', value: `${(r.ms / 1000).toFixed(1)} s` },
			{ metric: 'city backup: size', value: mb(m.databaseBytes) }
		];
	} finally {
		rmSync(out, { recursive: true, force: true });
	}
}

/** Scans the scanners hold as uploaded (acknowledged by the server). */
async function acknowledgedScans(scanners: { stats: () => Promise<{ uploaded: number }> }[]): Promise<number> {
	return (await pool(scanners, 8, async (s) => (await s.stats()).uploaded)).reduce((a, n) => a + n, 0);
}

interface Part {
	rows: DrillRow[];
	failures: string[];
}

/** The whole recovery on one engine: `live` is the lost machine's storage; `fresh()` makes the new machine's. */
async function recover(
	scale: DrillScale,
	label: string,
	live: Storage,
	fresh: () => Promise<Storage>,
	log: (l: string) => void
): Promise<Part> {
	const failures: string[] = [];
	const work = mkdtempSync(join(tmpdir(), 'tongxing-drill-dr-'));
	const backupDir = join(work, 'backup');
	const keysFile = join(work, 'separate-medium', 'keys.txkeys');
	const size = { residents: Math.max(20, Math.min(1_000, Math.round(scale.residents / 25))), scanners: Math.min(200, scale.scanners) };
	const server = new DrillServer(live);
	let restored: DrillServer | undefined;
	let target: Storage | undefined;
	let watch: ReturnType<typeof watchAnswers> | undefined;
	try {
		await server.start();
		const city = await buildCity(size, live, server, Date.now, log, { cityResidents: scale.residents });
		if (city.onboardFailures.size)
			failures.push(`${label}: onboarding failed: ${JSON.stringify(Object.fromEntries(city.onboardFailures))}`);
		watch = watchAnswers();
		const texts = await shownTexts(city);
		// the phones that only show their codes: the code each shows now was issued before the backup
		const quiet = city.residents.slice(ACTIVE_PHONES);
		const before = new Map(await pool(quiet, 8, async (r) => [r, (await r.show()).codeId] as const));

		const traffic = startTraffic(city, texts, { phones: ACTIVE_PHONES });
		const phase = Math.max(3, scale.seconds / 3) * 1000;
		await sleep(phase);
		const ackedAtBackup = await acknowledgedScans(city.scanners);
		const backupAt = Date.now();
		log(`  ${label}: tongxing backup while traffic runs…`);
		const b = await onStorage(live, ['backup', backupDir, '--keys', keysFile]);
		const ackedAfterBackup = await acknowledgedScans(city.scanners);
		if (b.code !== 0) throw new Error(`tongxing backup failed (${b.code}): ${b.stderr}`);
		const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')) as {
			ms: number;
			databaseBytes: number;
			database: { manifest: { scanChains: Record<string, { events: number }> } };
		};
		const inBackup = Object.values(manifest.database.manifest.scanChains).reduce((a, c) => a + c.events, 0);
		await sleep(phase);
		await traffic.stop();
		await server.stop(); // the machine is lost: its database and DATA_DIR are not read again

		log(`  ${label}: tongxing restore into a fresh machine…`);
		target = await fresh();
		const r = await onStorage(target, ['restore', backupDir, '--keys', keysFile]);
		if (r.code !== 0) failures.push(`${label}: tongxing restore failed (exit ${r.code}): ${r.stderr.trim()}`);
		else if (!r.stdout.includes('matches the backup'))
			failures.push(`${label}: tongxing restore did not confirm the manifest: ${r.stdout}`);

		const keyFiles = filesUnder(join(live.dataDir, 'keys'));
		const keysSame =
			keyFiles.length > 0 &&
			keyFiles.every((f) => {
				const to = join(target!.dataDir, 'keys', f);
				return existsSync(to) && readFileSync(to).equals(readFileSync(join(live.dataDir, 'keys', f)));
			});
		if (!keysSame) failures.push(`${label}: the restored key files differ from the originals`);
		const archive = readFileSync(keysFile);
		if (keyFiles.some((f) => archive.includes(readFileSync(join(live.dataDir, 'keys', f)).subarray(0, 32))))
			failures.push(`${label}: the key archive holds key bytes in the clear`);

		restored = new DrillServer(target);
		await restored.start();
		city.origin.current = restored.origin;
		// acknowledged by the lost server after the backup, so not in the restore: the recovery point
		const recoveryPoint = (await checkLogs(target, city.scanners)).missing;
		// sessions and declarations: every phone syncs with the restored server
		const kept = await declarationsKept(city, traffic.acknowledged, backupAt);
		if (kept.unsynced) failures.push(`${label}: ${kept.unsynced} phones could not sync with the restored server (session or codes)`);
		if (kept.lost) failures.push(`${label}: ${kept.lost} declarations acknowledged before the backup are not on the restored server`);
		const afterBackup = [...traffic.acknowledged.values()].flat().filter((a) => a.answered > backupAt).length;
		// codes: each phone's, as shown, read by a scanner with lists fetched from the restored server
		const verified = await verifyPhones(city);
		if (verified.valid !== verified.of)
			failures.push(
				`${label}: ${verified.of - verified.valid} phones' codes did not verify after the restore${reasonList(verified.reasons)}`
			);
		let sameCode = 0;
		for (const [q, codeId] of before) if (codeId !== undefined && (await q.show()).codeId === codeId) sameCode++;
		if (sameCode !== before.size)
			failures.push(`${label}: ${before.size - sameCode} phones no longer show the code issued before the backup`);

		// the scanners go on scanning against the restored server: its gap reports bring the rest back from their logs
		const t0 = performance.now();
		const again = startTraffic(city, texts, { phones: ACTIVE_PHONES, into: traffic });
		await sleep(CATCH_UP_MS);
		await again.stop();
		await scanOnce(city, texts);
		const drained = await drainScanners(city, 60_000);
		const catchUpS = (performance.now() - t0) / 1000;
		if (!drained) failures.push(`${label}: the scanners could not bring the restored server up to date within 60 s`);
		const logs = await checkLogs(target, city.scanners);
		if (logs.missing || logs.extra || logs.undelivered)
			failures.push(
				`${label}: scans ${logs.missing} lost, ${logs.extra} duplicated/extra, ${logs.undelivered} not delivered after the catch-up`
			);
		watch.stop();
		const answers = watch.answers;
		watch = undefined;
		if (answers.serverErrors) failures.push(`${label}: ${answers.serverErrors} answers were 5xx other than 503`);
		if (answers.missingRetryAfter) failures.push(`${label}: ${answers.missingRetryAfter} 503/429 answers had no Retry-After`);

		const rows: DrillRow[] = [
			{
				metric: `${label}: city / phones / scanners`,
				value: `${scale.residents} residents / ${city.residents.length} phones (${ACTIVE_PHONES} refreshing and declaring) / ${city.scanners.length}`
			},
			{
				metric: `${label}: backup while traffic ran (whole command)`,
				value: `${(b.ms / 1000).toFixed(1)} s (database copy ${manifest.ms} ms)`
			},
			{ metric: `${label}: backup size (database copy)`, value: mb(manifest.databaseBytes) },
			{ metric: `${label}: key archive (encrypted, separate folder)`, value: `${keyFiles.length} files, ${statSync(keysFile).size} bytes` },
			{ metric: `${label}: restore (incl. manifest check)`, value: `${(r.ms / 1000).toFixed(1)} s` },
			{
				metric: `${label}: manifest after restore (counts, scan chains, status lists, audits)`,
				value: r.code === 0 ? 'identical' : 'differs',
				target: 'identical',
				ok: r.code === 0
			},
			{ metric: `${label}: key files restored byte for byte`, value: keysSame ? 'yes' : 'no', target: 'yes', ok: keysSame },
			{
				metric: `${label}: phones whose code verifies on a scanner with the restored lists; still showing the pre-backup code`,
				value: `${verified.valid} / ${verified.of}${reasonList(verified.reasons)}; ${sameCode} / ${before.size}`,
				target: 'all; all',
				ok: verified.valid === verified.of && sameCode === before.size
			},
			{
				metric: `${label}: declarations acknowledged before the backup missing after restore; phones not syncing`,
				value: `${kept.lost} of ${kept.checked}; ${kept.unsynced}`,
				target: '0; 0',
				ok: kept.lost === 0 && kept.unsynced === 0
			},
			{
				metric: `${label}: declarations acknowledged after the backup began (the recovery point: not in the restore)`,
				value: `${afterBackup} (of ${traffic.submits} submitted, ${traffic.failedSubmits} refused)`
			},
			{
				metric: `${label}: scans in the backup / acknowledged when it began / when it ended`,
				value: `${inBackup} / ${ackedAtBackup} / ${ackedAfterBackup}`
			},
			{ metric: `${label}: scans acknowledged by the lost server but not in the restore (recovery point)`, value: String(recoveryPoint) },
			{
				metric: `${label}: scans lost / duplicated after the scanners caught up`,
				value: `${logs.missing} / ${logs.extra} of ${logs.logged}`,
				target: '0 / 0',
				ok: logs.missing === 0 && logs.extra === 0 && logs.undelivered === 0
			},
			{
				metric: `${label}: scanners’ catch-up on the restored server (${CATCH_UP_MS / 1000} s of traffic, then until every log is acknowledged)`,
				value: `${catchUpS.toFixed(1)} s`
			},
			{ metric: `${label}: answers`, value: answerList(answers) },
			{
				metric: `${label}: 5xx other than 503; 503/429 without Retry-After`,
				value: `${answers.serverErrors}; ${answers.missingRetryAfter}`,
				target: '0; 0',
				ok: answers.serverErrors === 0 && answers.missingRetryAfter === 0
			}
		];
		return { rows, failures };
	} catch (e) {
		log(`server log (tail):\n${(restored ?? server).log()}`);
		throw e;
	} finally {
		watch?.stop();
		await server.stop();
		await restored?.stop();
		await target?.dispose();
		rmSync(work, { recursive: true, force: true });
	}
}

export const run: Scenario = async (scale, log) => {
	const { results: parts, postgres } = await onEachEngine(
		(live) =>
			live.engine === 'sqlite'
				? recover(scale, 'SQLite', live, () => Promise.resolve(sqliteStorage()), log)
				: recover(scale, 'PostgreSQL', live, () => postgresRestoreTarget(live), log),
		log
	);
	const rows = parts.flatMap((p) => p.rows);
	if (!postgres) rows.push({ metric: 'PostgreSQL', value: 'not run (TEST_DATABASE_URL not set)' });
	if (scale.name === 'full') rows.push(...(await cityBackup(log)));
	return { scenario: '4. Disaster recovery', rows, failures: parts.flatMap((p) => p.failures) };
};
