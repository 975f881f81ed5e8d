/**
 * Scenario 3, killed servers (issue 18): `kill -9` of a server every 10 s for 2 minutes (small scale: every 5 s for
 * 20 s) while scanners scan and upload and residents declare, each killed server started again at once on the same
 * port and data. First on SQLite (one server: while it restarts, nobody is answered), then on PostgreSQL (two
 * instances on one schema behind the drill's round-robin proxy, killed in turn; skipped without TEST_DATABASE_URL).
 *
 * The devices are the apps' own clients: uploads retry with syncLog's backoff; a resident whose submission failed
 * presses the button again after a pause. Afterwards, with the servers up: every entry of every scanner's log is
 * on the server exactly once; every declaration a phone saw acknowledged is the one the server holds (or a later
 * one), and every phone holds a complete pair of codes (current + next) that a scanner, refreshed, verifies —
 * no half-written declaration or code. Retries are counted.
 */
import type { DrillRow, DrillScale, Scenario, ScenarioResult } from '../scenario.js';
import { buildCity, checkLogs, pool, sleep, type City } from '../harness.js';
import { startProxy, type Proxy } from '../proxy.js';
import { DrillServer, onEachEngine, type Storage } from '../servers.js';

interface Part {
	engine: string;
	rows: DrillRow[];
	failures: string[];
}

async function chaos(
	scale: DrillScale,
	engine: 'sqlite' | 'postgres',
	storage: Storage,
	servers: DrillServer[],
	log: (line: string) => void
): Promise<Part> {
	const full = scale.name === 'full';
	const size = { residents: Math.max(40, Math.round(scale.residents / 10)), scanners: Math.max(5, Math.round(scale.scanners / 10)) };
	const everyMs = full ? 10_000 : 5_000;
	const chaosMs = full ? 120_000 : 20_000;
	let proxy: Proxy | undefined;
	for (const s of servers) await s.start();
	try {
		const city: City = await buildCity(size, storage, servers[0]!, Date.now, log);
		if (servers.length > 1) {
			const ports = servers.map((s) => s.port);
			proxy = await startProxy(() => ports);
			city.origin.current = proxy.origin;
		}
		// codes to scan during the chaos (showing and verifying need no server)
		const texts: string[] = [];
		for (const r of city.residents) {
			const s = await r.show();
			if (s.text) texts.push(s.text);
		}
		const t0 = Date.now();
		const end = t0 + chaosMs;
		let kills = 0,
			restartMs = 0;
		const killer = (async () => {
			// on a fixed cadence (t0 + every, + 2·every, …), whatever a restart takes
			for (let k = 0; t0 + (k + 1) * everyMs < end; k++) {
				await sleep(Math.max(0, t0 + (k + 1) * everyMs - Date.now()));
				const victim = servers[k % servers.length]!;
				await victim.kill9();
				kills++;
				const r0 = Date.now();
				await victim.start();
				restartMs += Date.now() - r0;
			}
		})();
		let scans = 0;
		const scanner = async (k: number) => {
			const s = city.scanners[k]!;
			while (Date.now() < end) {
				for (let j = 0; j < 3; j++) {
					await s.scan(texts[(k * 7 + scans++) % texts.length]!);
				}
				const out = await s.upload();
				await sleep(out.status === 'failed' ? s.retryDelay() : 500 + Math.random() * 1000);
			}
		};
		const acknowledged = new Map<number, number>();
		let submits = 0,
			failedSubmits = 0;
		const resident = async (i: number) => {
			await sleep(Math.random() * (chaosMs - 2_000));
			const r = city.residents[i]!;
			for (let attempt = 0; attempt < 20; attempt++) {
				submits++;
				const before = Date.now();
				const failed = await r.submit();
				if (!failed) {
					acknowledged.set(i, before);
					await r.sync(); // the declare page's own sync round for the new codes (its failure is retried later)
					return;
				}
				failedSubmits++;
				await sleep(1_000 + Math.random() * 2_000); // the resident reads the error and presses again
			}
		};
		await Promise.all([killer, ...city.scanners.map((_, k) => scanner(k)), ...city.residents.map((_, i) => resident(i))]);
		log(`  ${engine}: ${kills} kills in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${scans} scans, ${submits} submissions`);

		// after: servers up, everything delivered
		for (const s of servers) if (!s.running) await s.start();
		await pool(city.scanners, 8, (s) => s.uploadAll(Date.now() + 60_000, sleep));
		const check = await checkLogs(storage, city.scanners);
		let synced = 0;
		await pool(city.residents, 8, async (r) => {
			for (let k = 0; k < 10; k++) {
				const o = await r.sync();
				if (o === 'updated' || o === 'unchanged') {
					synced++;
					return;
				}
				await sleep(await r.nextDelay());
			}
		});
		await pool(city.scanners, 8, (s) => s.refresh());
		let lostDeclarations = 0,
			incompletePairs = 0,
			notVerified = 0;
		const reasons = new Map<string, number>();
		await pool(city.residents, 8, async (r, i) => {
			const held = await r.held();
			const ack = acknowledged.get(i);
			// the server's time and this machine's are the same clock (no offset here); 5 s of slack for rounding
			if (ack !== undefined && (held.declaredAt === null || held.declaredAt < ack - 5_000)) lostDeclarations++;
			if (held.codes.length !== 2 || new Set(held.codes.map((c) => c.colour)).size !== 1) incompletePairs++;
			const shown = await r.show();
			const v = shown.text ? await city.scanners[i % city.scanners.length]!.scan(shown.text) : null;
			if (v?.verdict !== 'valid') {
				notVerified++;
				const why = v ? v.reason : `app: ${shown.state}`;
				reasons.set(why, (reasons.get(why) ?? 0) + 1);
			}
		});
		await pool(city.scanners, 8, (s) => s.uploadAll(Date.now() + 60_000, sleep));
		const last = await checkLogs(storage, city.scanners);
		const uploadRetries = city.scanners.reduce((a, s) => a + s.failedUploads, 0);
		const uploads = city.scanners.reduce((a, s) => a + s.uploads, 0);
		const syncRetries = city.residents.reduce((a, r) => a + r.failedRounds, 0);
		const failures: string[] = [];
		const label = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL ×2 + proxy';
		if (check.missing || check.extra || check.undelivered)
			failures.push(`${label}: scans ${check.missing} lost, ${check.extra} duplicated/extra, ${check.undelivered} not delivered`);
		if (last.missing || last.extra) failures.push(`${label}: after the check scans, ${last.missing} lost, ${last.extra} extra`);
		if (lostDeclarations) failures.push(`${label}: ${lostDeclarations} acknowledged declarations not on the server`);
		if (incompletePairs) failures.push(`${label}: ${incompletePairs} phones without a complete current + next pair`);
		if (notVerified) failures.push(`${label}: ${notVerified} phones' codes did not verify after the chaos`);
		if (city.onboardFailures.size)
			failures.push(`${label}: onboarding failed: ${JSON.stringify(Object.fromEntries(city.onboardFailures))}`);
		const why = reasons.size ? ` (${[...reasons].map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
		const rows: DrillRow[] = [
			{
				metric: `${label}: scale`,
				value: `${city.residents.length} phones, ${city.scanners.length} scanners; kill -9 every ${everyMs / 1000} s for ${chaosMs / 1000} s: ${kills} kills, restart ${(restartMs / Math.max(1, kills) / 1000).toFixed(1)} s on average`
			},
			{
				metric: `${label}: scans stored exactly once`,
				value: `${check.stored} / ${check.logged}; lost ${check.missing}, duplicated/extra ${check.extra}, rejected ${check.rejected}`,
				target: '0 lost, 0 duplicated',
				ok: check.stored === check.logged && check.extra === 0
			},
			{
				metric: `${label}: declarations acknowledged / submissions (failed submissions retried by the resident)`,
				value: `${acknowledged.size} / ${submits} (${failedSubmits} failed)`
			},
			{
				metric: `${label}: acknowledged declarations missing on the server`,
				value: String(lostDeclarations),
				target: '0',
				ok: lostDeclarations === 0
			},
			{
				metric: `${label}: phones without a complete code pair, or whose code did not verify`,
				value: `${incompletePairs}, ${notVerified}${why}`,
				target: '0, 0',
				ok: incompletePairs === 0 && notVerified === 0
			},
			{
				metric: `${label}: retries`,
				value: `scan uploads ${uploadRetries} failed of ${uploads}; phone sync rounds failed ${syncRetries}; phones synced after ${synced} / ${city.residents.length}${proxy ? `; proxy failovers ${proxy.failovers}, 502s ${proxy.badGateway}` : ''}`
			}
		];
		return { engine: label, rows, failures };
	} catch (e) {
		for (const s of servers) log(`server log (tail):\n${s.log()}`);
		throw e;
	} finally {
		await proxy?.close();
		for (const s of servers) await s.stop();
	}
}

export const killedServers: Scenario = async (scale, log) => {
	log(`3. killed servers`);
	const { results: parts, postgres } = await onEachEngine(
		(storage) =>
			storage.engine === 'sqlite'
				? chaos(scale, 'sqlite', storage, [new DrillServer(storage)], log)
				: chaos(scale, 'postgres', storage, [new DrillServer(storage), new DrillServer(storage)], log),
		log
	);
	const rows = parts.flatMap((p) => p.rows);
	if (!postgres) rows.push({ metric: 'PostgreSQL ×2 + proxy', value: 'not run (TEST_DATABASE_URL not set)' });
	return { scenario: '3. Killed servers', rows, failures: parts.flatMap((p) => p.failures) } satisfies ScenarioResult;
};
