/**
 * The drill's scenarios 4 and 5 at the small scale, without a browser (docs/drills.md §4, §5): each starts its own
 * `node build` servers on temporary data directories (the webServer of playwright.config.ts is not used) and must
 * report no failure. Scenario 4 runs on SQLite and, when TEST_DATABASE_URL is set (as in CI), on PostgreSQL too;
 * scenario 5 on SQLite only (docs/drills.md says why). The traffic phases are shortened from SMALL's 60 s; the
 * zero-loss properties do not depend on how long the traffic runs.
 */
import { expect, test } from '@playwright/test';
import { SMALL, type ScenarioResult } from '../scripts/drill/scenario.js';
import { run as backupRestore } from '../scripts/drill/scenarios/backup-restore.js';
import { mountsUnavailable, run as diskFull } from '../scripts/drill/scenarios/disk-full.js';

const SCALE = { ...SMALL, seconds: 12 };

function show(r: ScenarioResult): string {
	return [
		r.scenario,
		...r.rows.map((row) => `  ${row.ok === false ? '✗' : row.ok ? '✓' : ' '} ${row.metric}: ${row.value}`),
		...r.failures.map((f) => `  FAILURE: ${f}`)
	].join('\n');
}

test('4. disaster recovery: backup during traffic, restore, codes, keys, lists, audits and scan logs intact', async () => {
	test.setTimeout(180_000);
	const r = await backupRestore(SCALE, (line) => console.log(`  ${line}`));
	console.log(show(r));
	expect(r.failures).toEqual([]);
	const manifests = r.rows.filter((row) => row.metric.includes('manifest after restore'));
	expect(manifests.length).toBe(process.env.TEST_DATABASE_URL ? 2 : 1); // SQLite, and PostgreSQL when it is given
	for (const row of manifests) expect(row.value).toBe('identical');
});

test('5. disk full and read-only data directory: 503 + Retry-After, never 500, nothing lost or corrupted', async () => {
	const unavailable = mountsUnavailable();
	test.skip(unavailable !== undefined, `scenario 5 cannot run on this machine: ${unavailable}`);
	test.setTimeout(180_000);
	const r = await diskFull(SCALE, (line) => console.log(`  ${line}`));
	console.log(show(r));
	expect(r.failures).toEqual([]);
});
