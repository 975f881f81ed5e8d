/**
 * Scenario 4, disaster recovery (docs/drills.md §4): the real server (`node build`, SQLite) with a seeded city, scanners
 * uploading and a resident refreshing codes and declaring; `tongxing backup` runs while that traffic goes on; later the
 * machine is "lost" (the server stopped, its directory never read again), `tongxing restore` fills a fresh DATA_DIR,
 * a new server starts on it, and the drill checks:
 *   - restore's own check: every table count, scan chain (recomputed hashes), status list and audit digest as the
 *     backup's manifest says;
 *   - the key files come back byte for byte (from the encrypted archive, kept in a separate folder);
 *   - the resident's session and codes answer on the restored server, and a code issued before the backup verifies
 *     offline (`tongxing verify`) against the restored trust list and status lists;
 *   - the scanners, which keep their own logs, upload again: afterwards the restored server holds every scan of every
 *     scanner exactly once (scans acknowledged after the backup were missing until then: the recovery point);
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
import { codeText } from '../../../src/lib/core/code-text.js';
import { fromBase64Url } from '../../../src/lib/core/bytes.js';
import { encodeLiveCode, timeStep } from '../../../src/lib/core/live-proof.js';
import { tweetnaclKeyPair } from '../../../src/lib/core/ed25519/tweetnacl.js';
import { ensureBuild, signIn, startServer, stopServer, type Server } from '../../../bench/server.js';
import { request } from '../../../bench/http-load.js';
import type { DrillRow, Scenario } from '../scenario.js';
import { compareLogs, drain, enrolScanners, lostAfterAck, newStats, startTraffic, storedLogs, type Target } from './dr-traffic.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const execFileAsync = promisify(execFile);
const PASSPHRASE = 'drill passphrase, not for production';
/** the device key bench/server.ts signIn() registers for its resident */
const DEVICE = tweetnaclKeyPair(new Uint8Array(32).fill(7));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cliEnv(dataDir: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, TONGXING_MODE: 'demo', TONGXING_BACKUP_PASSPHRASE: PASSPHRASE };
	delete env.DATABASE_URL;
	return env;
}

async function cli(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
	const t0 = performance.now();
	try {
		const r = await execFileAsync(process.execPath, ['bin/tongxing.js', ...args], {
			cwd: ROOT,
			env: cliEnv(dataDir),
			encoding: 'utf8',
			maxBuffer: 1 << 24
		});
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
		const r = await cli(city, ['backup', join(out, 'b'), '--no-keys']);
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

export const run: Scenario = async (scale, log) => {
	ensureBuild();
	const failures: string[] = [];
	const rows: DrillRow[] = [];
	const work = mkdtempSync(join(tmpdir(), 'tongxing-drill-dr-'));
	const live = join(work, 'live');
	const fresh = join(work, 'fresh');
	const backupDir = join(work, 'backup');
	const keysFile = join(work, 'separate-medium', 'keys.txkeys');
	let server: Server | undefined;
	try {
		log(`seeding ${scale.residents} residents…`);
		const seeded = await cli(live, ['seed', '--residents', String(scale.residents)]);
		if (seeded.code !== 0) throw new Error(`tongxing seed failed: ${seeded.stderr}`);
		const scanners = await enrolScanners(live, scale.scanners);
		server = await startServer(live);
		const target: Target = { port: server.port };
		const resident = await signIn(server);
		const before = await request(server.port, { path: '/api/v1/me/codes', headers: { cookie: resident.cookie } });
		const credential = (JSON.parse(before.body.toString('utf8')) as { people: { codes: { credential: string }[] }[] }).people[0]!.codes[0]!
			.credential;

		const stats = newStats();
		const traffic = startTraffic(target, scanners, resident, stats);
		const phase = Math.max(3, scale.seconds / 3) * 1000;
		await sleep(phase);
		const ackedAtBackup = scanners.reduce((a, s) => a + s.acked, 0);
		log('tongxing backup while traffic runs…');
		const b = await cli(live, ['backup', backupDir, '--keys', keysFile]);
		const ackedAfterBackup = scanners.reduce((a, s) => a + s.acked, 0);
		if (b.code !== 0) throw new Error(`tongxing backup failed (${b.code}): ${b.stderr}`);
		const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')) as {
			ms: number;
			databaseBytes: number;
			database: { manifest: { counts: Record<string, number>; scanChains: Record<string, { events: number }> } };
		};
		const inBackup = Object.values(manifest.database.manifest.scanChains).reduce((a, c) => a + c.events, 0);
		await sleep(phase);
		await traffic.stop();
		await stopServer(server.proc); // the machine is lost: `live` is not read again
		server = undefined;

		log('tongxing restore into a fresh DATA_DIR…');
		const r = await cli(fresh, ['restore', backupDir, '--keys', keysFile]);
		if (r.code !== 0) failures.push(`tongxing restore failed (exit ${r.code}): ${r.stderr.trim()}`);
		else if (!r.stdout.includes('matches the backup')) failures.push(`tongxing restore did not confirm the manifest: ${r.stdout}`);

		const keyFiles = filesUnder(join(live, 'keys'));
		const keysSame =
			keyFiles.length > 0 &&
			keyFiles.every(
				(f) => existsSync(join(fresh, 'keys', f)) && readFileSync(join(fresh, 'keys', f)).equals(readFileSync(join(live, 'keys', f)))
			);
		if (!keysSame) failures.push('the restored key files differ from the originals');
		const archivePlain = readFileSync(keysFile);
		if (keyFiles.some((f) => archivePlain.includes(readFileSync(join(live, 'keys', f)).subarray(0, 32))))
			failures.push('the key archive holds key bytes in the clear');

		server = await startServer(fresh);
		target.port = server.port;
		const codes = await request(server.port, { path: '/api/v1/me/codes', headers: { cookie: resident.cookie } });
		if (codes.status !== 200) failures.push(`the resident's session on the restored server: GET /api/v1/me/codes answered ${codes.status}`);
		// codes: the one issued before the backup (a later declaration may have replaced and revoked it: then the
		// restored status list must say so), and the ones the restored server serves now, verified offline with the
		// restored trust list and status lists
		const served =
			codes.status === 200
				? (JSON.parse(codes.body.toString('utf8')) as { people: { codes: { credential: string; codeId: string }[] }[] }).people[0]!.codes
				: [];
		const verdictOf = async (credential: string) => {
			// as the phone shows it: the credential with a fresh live proof by the device key bench's signIn registered
			const live = await encodeLiveCode(fromBase64Url(credential)!, timeStep(Date.now()), DEVICE.sign);
			const v = await cli(fresh, ['verify', codeText(live)]);
			const m = /"verdict":"([a-z-]+)","reason":"([a-z-]+)"/.exec(v.stdout);
			return m ? `${m[1]} (${m[2]})` : `exit ${v.code}: ${v.stderr.trim()}`;
		};
		const early = await verdictOf(credential);
		const current = served[0] ? await verdictOf(served[0].credential) : 'no code served';
		const verdict = current;
		log(`verify: before the backup ${early}; served after restore ${current}`);
		if (!current.startsWith('valid'))
			failures.push(`the code the restored server serves does not verify offline against the restored keys and lists: ${current}`);
		if (!early.startsWith('valid') && !early.includes('revoked'))
			failures.push(`the code issued before the backup: ${early} (expected valid, or revoked by a later declaration)`);

		// the scanners go on scanning against the restored server: it reports the seqs it lacks (acknowledged by the
		// lost server after the backup) as gaps, and each scanner sends them again from its own log (client/scanner/sync.ts)
		const lostAcked = lostAfterAck(scanners, await storedLogs(fresh));
		const t0 = performance.now();
		const again = startTraffic(target, scanners, resident, stats);
		await sleep(3_000);
		await again.stop();
		const drained = await drain(target, scanners, stats, 60_000);
		const reuploadS = (performance.now() - t0) / 1000;
		if (!drained) failures.push('the scanners could not bring the restored server up to date within 60 s');
		const logs = compareLogs(scanners, await storedLogs(fresh));
		if (logs.lost) failures.push(`${logs.lost} scans missing on the restored server after the scanners uploaded again`);
		if (logs.extra) failures.push(`${logs.extra} scans on the restored server that no scanner made (duplicates)`);
		if (logs.altered) failures.push(`${logs.altered} scans whose stored hash differs from the scanner's`);
		if (stats.serverErrors) failures.push(`${stats.serverErrors} answers were 5xx other than 503`);
		if (stats.missingRetryAfter) failures.push(`${stats.missingRetryAfter} 503/429 answers had no Retry-After`);
		const scans = scanners.reduce((a, s) => a + s.log.length, 0);

		rows.push(
			{ metric: 'residents / scanners', value: `${scale.residents} / ${scale.scanners}` },
			{ metric: 'backup time while traffic ran (whole command)', value: `${(b.ms / 1000).toFixed(1)} s (database copy ${manifest.ms} ms)` },
			{ metric: 'backup size (database copy)', value: mb(manifest.databaseBytes) },
			{ metric: 'key archive (encrypted, separate folder)', value: `${keyFiles.length} files, ${statSync(keysFile).size} bytes` },
			{ metric: 'restore time (incl. manifest check)', value: `${(r.ms / 1000).toFixed(1)} s` },
			{
				metric: 'manifest after restore (counts, scan chains, status lists, audits)',
				value: r.code === 0 ? 'identical' : 'differs',
				target: 'identical',
				ok: r.code === 0
			},
			{ metric: 'key files restored byte for byte', value: keysSame ? 'yes' : 'no', target: 'yes', ok: keysSame },
			{
				metric: 'code the restored server serves, verified offline (restored trust list + status lists)',
				value: verdict,
				target: 'valid',
				ok: verdict.startsWith('valid')
			},
			{
				metric: 'code issued before the backup, verified offline after restore',
				value: early,
				target: 'valid, or revoked by a later declaration'
			},
			{
				metric: 'scans in the backup / acknowledged when it began / when it ended',
				value: `${inBackup} / ${ackedAtBackup} / ${ackedAfterBackup}`
			},
			{
				metric: 'scans acknowledged by the lost server but not in the restore (recovery point)',
				value: String(lostAcked)
			},
			{
				metric: 'scans lost / duplicated after the scanners caught up',
				value: `${logs.lost} / ${logs.extra} of ${scans}`,
				target: '0 / 0',
				ok: logs.lost === 0 && logs.extra === 0
			},
			{
				metric: 'scanners’ catch-up on the restored server (3 s of traffic, then until every log is acknowledged)',
				value: `${reuploadS.toFixed(1)} s, ${scanners.reduce((a, s) => a + s.regaps, 0)} gap reports`
			},
			{
				metric: 'answers',
				value: Object.entries(stats.answers)
					.map(([k, n]) => `${k}: ${n}`)
					.join(', ')
			},
			{ metric: '5xx other than 503', value: String(stats.serverErrors), target: '0', ok: stats.serverErrors === 0 }
		);
		if (scale.name === 'full') rows.push(...(await cityBackup(log)));
	} finally {
		if (server) await stopServer(server.proc);
		rmSync(work, { recursive: true, force: true });
	}
	return { scenario: '4. Disaster recovery', rows, failures };
};
