/**
 * Runs scenarios 4 and 5 alone (until the drill's runner, scripts/drill/index.ts, lists them):
 *   node bin/run-ts.js scripts/drill/run-dr.ts [4|5|all] [small|full]
 * Prints each result's rows and failures; exit 1 when any scenario failed.
 */
import { FULL, SMALL, type Scenario } from './scenario.js';
import { run as backupRestore } from './scenarios/backup-restore.js';
import { run as diskFull } from './scenarios/disk-full.js';

const which = process.argv[2] ?? 'all';
const base = process.argv[3] === 'full' ? FULL : SMALL;
/** DRILL_SECONDS shortens (or lengthens) the traffic phases, e.g. for a quick check while developing */
const scale = process.env.DRILL_SECONDS ? { ...base, seconds: Number(process.env.DRILL_SECONDS) } : base;
const scenarios: Scenario[] = which === '4' ? [backupRestore] : which === '5' ? [diskFull] : [backupRestore, diskFull];
let failed = false;
for (const s of scenarios) {
	const r = await s(scale, (line) => process.stderr.write(`  ${line}\n`));
	process.stdout.write(`\n${r.scenario} (${scale.name})\n`);
	for (const row of r.rows)
		process.stdout.write(
			`  ${row.ok === false ? '✗' : row.ok ? '✓' : ' '} ${row.metric}: ${row.value}${row.target ? ` (target ${row.target})` : ''}\n`
		);
	for (const f of r.failures) process.stdout.write(`  FAILURE: ${f}\n`);
	failed ||= r.failures.length > 0;
}
process.exit(failed ? 1 : 0);
