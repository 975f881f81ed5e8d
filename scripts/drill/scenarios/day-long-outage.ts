/**
 * Scenario 2, a day-long outage, accelerated (issue 18): the server is stopped for 24 hours of drill clock (the
 * devices' clock jumps an hour at a time; the server comes back with TONGXING_DEMO_CLOCK_OFFSET_MS = 24 h, so
 * both agree on the time). While it is down:
 * - every hour, phones show their stored code and a scanner verifies it offline with the lists it holds: the
 *   share of valid codes that still verify (target 100 %, on the pre-issued next codes and a status list that
 *   stays inside its 24 h max age);
 * - scans are logged on the scanners; phones' sync rounds fail (counted) and back off;
 * - at hour 12 the authority imports positive tests for a few residents (`tongxing import health … --kind tests`
 *   on the database, the API still down): colours computed while down.
 * One scanner has been offline for 8 days and holds 20,000 scans (2,000 at the small scale), logged over those days.
 * After recovery: every scanner uploads with the app's syncLog and backoff; every entry of every device's own
 * log must be on the server exactly once within 60 s of reconnection; then one list refresh per scanner must be
 * enough for the residents recoloured while down to be refused (their old codes revoked).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrillRow, Scenario } from '../scenario.js';
import { buildCity, checkLogs, pct, pool, sleep } from '../harness.js';
import { cli, DrillServer, sqliteStorage } from '../servers.js';

const HOUR = 3_600_000;
const RECOVERY_TARGET_S = 60;

export const dayLongOutage: Scenario = async (scale, log) => {
	const size = { residents: Math.max(50, Math.round(scale.residents / 5)), scanners: Math.max(5, Math.round(scale.scanners / 10)) };
	const offlineScans = scale.name === 'full' ? 20_000 : 2_000;
	let offset = 0;
	const clock = () => Date.now() + offset;
	const storage = sqliteStorage();
	const server = new DrillServer(storage);
	try {
		await server.start();
		log(`2. day-long outage: ${size.residents} phones, ${size.scanners} scanners + 1 offline for 8 days (${offlineScans} scans)`);
		const city = await buildCity({ residents: size.residents, scanners: size.scanners + 1 }, storage, server, clock, log);
		const offline = city.scanners[city.scanners.length - 1]!;
		const scanners = city.scanners.slice(0, -1);

		// the scanners' last refresh before the outage (the app refreshes every 5 minutes)
		await pool(scanners, 8, (s) => s.refresh());
		await server.stop();
		const down = Date.now();
		let shownValid = 0,
			verified = 0,
			notShown = 0,
			syncTries = 0,
			syncOffline = 0,
			looks = 0;
		const refusedWhileDown = new Map<string, number>();
		// residents green now: a positive test changes their colour (a red one stays red, and keeps its codes)
		const greens: typeof city.residents = [];
		for (const r of city.residents) if ((await r.show()).colour === 'green') greens.push(r);
		const changed = greens.filter((_, i) => i % 7 === 3).slice(0, scale.name === 'full' ? 20 : 3);
		for (const hour of [...Array.from({ length: 24 }, (_, h) => h), 23.98]) {
			// the drill clock stands at exactly `hour` hours into the outage when the sample starts (the real seconds the
			// drill itself has taken are not added to the outage)
			offset = hour * HOUR - (Date.now() - down);
			await pool(city.residents, 8, async (r, i) => {
				const shown = await r.show();
				looks++;
				if (shown.state !== 'valid' || !shown.text) {
					notShown++;
					return;
				}
				shownValid++;
				const v = await scanners[(i + Math.floor(hour)) % scanners.length]!.scan(shown.text);
				if (v.verdict === 'valid') verified++;
				else refusedWhileDown.set(v.reason, (refusedWhileDown.get(v.reason) ?? 0) + 1);
			});
			if (hour % 6 === 3) {
				// the phones' own sync rounds: the server does not answer
				await pool(city.residents, 16, async (r) => {
					syncTries++;
					const o = await r.sync();
					if (o === 'offline') syncOffline++;
				});
			}
			if (hour === 12) {
				const file = join(storage.dataDir, 'drill-tests.csv');
				const sampled = new Date(clock() - HOUR).toISOString();
				writeFileSync(
					file,
					['idNumber,sampledAt,result', ...changed.map((r) => `${r.identity.idNumber},${sampled},positive`)].join('\n') + '\n'
				);
				await cli(storage, ['import', 'health', file, '--kind', 'tests'], { TONGXING_DEMO_CLOCK_OFFSET_MS: String(offset) });
				log(`  hour 12: imported ${changed.length} positive tests while the API is down`);
			}
		}
		log(`  24 h of drill clock while down: ${looks} looks in ${((Date.now() - down) / 1000).toFixed(0)} s`);

		// the scanner offline for 8 days: its scans over those days (texts shown by a few phones, verdicts as they come)
		const texts: string[] = [];
		for (const r of city.residents.slice(0, 20)) {
			const s = await r.show();
			if (s.text) texts.push(s.text);
		}
		const from = clock() - 8 * 24 * HOUR;
		const tOffline = Date.now();
		for (let k = 0; k < offlineScans; k++)
			await offline.scan(texts[k % texts.length]!, from + Math.floor((k * 8 * 24 * HOUR) / offlineScans));
		log(`  the 8-day scanner logged ${offlineScans} scans in ${((Date.now() - tOffline) / 1000).toFixed(0)} s`);

		offset = 24 * HOUR;
		server.options = { ...server.options, clockOffsetMs: offset };
		await server.start();
		const back = Date.now();
		const seqBefore = scanners.map((s) => s.statusSeqs());
		const doneAt = new Array<number>(city.scanners.length).fill(NaN);
		await Promise.all(
			city.scanners.map(async (s, k) => {
				const out = await s.uploadAll(back + 5 * RECOVERY_TARGET_S * 1000, sleep);
				if (out.status === 'done') doneAt[k] = (Date.now() - back) / 1000;
			})
		);
		const allDone = doneAt.every((x) => Number.isFinite(x));
		const lastS = Math.max(...doneAt.filter((x) => Number.isFinite(x)));
		const offlineS = doneAt[doneAt.length - 1]!;
		const check = await checkLogs(storage, city.scanners);

		// one refresh per scanner, then the residents recoloured while down show their old code (the phone has not synced)
		await pool(scanners, 4, (s) => s.refresh());
		const seqMoved = scanners.filter((s, k) => s.statusSeqs() > seqBefore[k]!).length;
		let oldShown = 0,
			refused = 0;
		const refusedReasons = new Map<string, number>();
		for (const r of changed) {
			const shown = await r.show();
			if (!shown.text) continue;
			const verdicts: string[] = [];
			for (const s of scanners) {
				oldShown++;
				const v = await s.scan(shown.text);
				verdicts.push(v.reason);
				if (v.verdict !== 'valid') {
					refused++;
					refusedReasons.set(v.reason, (refusedReasons.get(v.reason) ?? 0) + 1);
				}
			}
			const counted = new Map<string, number>();
			for (const v of verdicts) counted.set(v, (counted.get(v) ?? 0) + 1);
			log(`  recoloured while down, old code ${shown.codeId} after one refresh: ${[...counted].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
		}
		// and the phones come back: one sync round each
		let resynced = 0;
		await pool(city.residents, 16, async (r) => {
			const o = await r.sync();
			if (o === 'updated' || o === 'unchanged') resynced++;
		});
		const redNow = (await Promise.all(changed.map((r) => r.show()))).filter((s) => s.colour === 'red').length;
		await pool(city.scanners, 4, (s) => s.uploadAll(Date.now() + 60_000, sleep));
		const finalCheck = await checkLogs(storage, city.scanners);

		const failures: string[] = [];
		if (verified !== shownValid) failures.push(`${shownValid - verified} valid codes did not verify offline during the outage`);
		if (notShown) failures.push(`${notShown} looks found no valid code on the phone during the outage`);
		if (check.missing || check.extra || !allDone || check.undelivered)
			failures.push(
				`after recovery: ${check.missing} scans lost, ${check.extra} extra, ${check.undelivered} not delivered, all devices done: ${allDone}`
			);
		if (finalCheck.missing || finalCheck.extra)
			failures.push(`after the last scans: ${finalCheck.missing} lost, ${finalCheck.extra} extra`);
		if (refused !== oldShown) failures.push(`${oldShown - refused} scans of codes revoked while down still passed after one refresh`);
		const reasons = (m: Map<string, number>) => (m.size ? ` (${[...m].map(([k, v]) => `${k} ${v}`).join(', ')})` : '');
		const rows: DrillRow[] = [
			{
				metric: 'scale',
				value: `${city.residents.length} phones, ${scanners.length} scanners + 1 offline 8 days, SQLite; 24 h of drill clock in ${((back - down) / 1000).toFixed(0)} s`
			},
			{
				metric: 'valid codes that verified offline while down (hourly, every phone)',
				value: `${verified} / ${shownValid} (${pct(verified, shownValid)})${reasons(refusedWhileDown)}`,
				target: '100 %',
				ok: verified === shownValid && shownValid > 0
			},
			{ metric: 'looks with no valid code on the phone', value: `${notShown} of ${looks}`, target: '0', ok: notShown === 0 },
			{ metric: 'phone sync rounds while down answered "offline"', value: `${syncOffline} / ${syncTries}` },
			{
				metric: 'scans stored exactly once after recovery (device logs vs server)',
				value: `${check.stored} / ${check.logged}; lost ${check.missing}, extra ${check.extra}, rejected ${check.rejected}`,
				target: 'all, 0 lost, 0 extra',
				ok: check.stored === check.logged && check.extra === 0
			},
			{
				metric: 'time from reconnection until every scanner had uploaded',
				value: allDone
					? `${lastS.toFixed(1)} s (the 8-day scanner: ${offlineS.toFixed(1)} s for ${offlineScans} scans)`
					: 'not all finished',
				target: `≤ ${RECOVERY_TARGET_S} s`,
				ok: allDone && lastS <= RECOVERY_TARGET_S
			},
			{ metric: 'scanners whose status list moved on the first refresh', value: `${seqMoved} / ${scanners.length}` },
			{
				metric: `codes of the ${changed.length} residents recoloured while down, refused after one refresh`,
				value: `${refused} / ${oldShown} scans${reasons(refusedReasons)}`,
				target: 'all',
				ok: refused === oldShown && oldShown > 0
			},
			{
				metric: 'phones synced on their first round after recovery; recoloured ones now red',
				value: `${resynced} / ${city.residents.length}; ${redNow} / ${changed.length}`
			}
		];
		return { scenario: '2. Day-long outage', rows, failures };
	} catch (e) {
		log(`server log (tail):\n${server.log()}`);
		throw e;
	} finally {
		await server.stop();
		await storage.dispose();
	}
};
