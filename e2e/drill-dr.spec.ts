/**
 * The drill's scenarios 4 and 5 at the small scale, without a browser (docs/drills.md §4, §5): each starts its own
 * `node build` servers on temporary data directories (the webServer of playwright.config.ts is not used) and must
 * report no failure. The traffic phases are shortened from SMALL's 60 s so both fit in about two minutes; the
 * zero-loss properties do not depend on how long the traffic runs.
 */
import { expect, test } from '@playwright/test';
import { SMALL, type ScenarioResult } from '../scripts/drill/scenario.js';
import { run as backupRestore } from '../scripts/drill/scenarios/backup-restore.js';
import { mountsUnavailable, run as diskFull } from '../scripts/drill/scenarios/disk-full.js';

const SCALE = { ...SMALL, seconds: 24 };

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
	expect(r.rows.find((row) => row.metric.startsWith('manifest after restore'))?.value).toBe('identical');
});

test('5. disk full and read-only data directory: 503 + Retry-After, never 500, nothing lost or corrupted', async () => {
	const unavailable = mountsUnavailable();
	test.skip(unavailable !== undefined, `scenario 5 cannot run on this machine: ${unavailable}`);
	test.setTimeout(180_000);
	const r = await diskFull(SCALE, (line) => console.log(`  ${line}`));
	console.log(show(r));
	expect(r.failures).toEqual([]);
});
