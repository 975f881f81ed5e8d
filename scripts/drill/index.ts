/**
 * `npm run drill` (docs/drills.md): runs the scenarios of scenarios/index.ts at the full scale (DRILL_SCALE=small
 * for the CI one), DRILL_ONLY=1,2 to select; DRILL_RESIDENTS, DRILL_SCANNERS and DRILL_SECONDS change the scale's sizes. Prints each
 * scenario's table and rewrites the generated section of docs/drills.md (between its markers), unless
 * DRILL_NO_DOCS=1; DRILL_JSON=FILE also writes the results as JSON (the CI test reads them). Exit 1 when any
 * scenario reports a failure (a broken zero-loss property) or throws.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FULL, SMALL, type DrillScale, type ScenarioResult } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';
import { drillTable, replaceGenerated } from './report.js';

const ROOT = join(import.meta.dirname, '..', '..');
const base: DrillScale = process.env.DRILL_SCALE === 'small' ? SMALL : FULL;
const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
/** DRILL_RESIDENTS / DRILL_SCANNERS / DRILL_SECONDS: a scale between the two (said in every table's scale row) */
const scale: DrillScale = {
	...base,
	residents: num('DRILL_RESIDENTS', base.residents),
	scanners: num('DRILL_SCANNERS', base.scanners),
	seconds: num('DRILL_SECONDS', base.seconds)
};
const only = (process.env.DRILL_ONLY ?? '')
	.split(',')
	.map((s) => Number(s.trim()))
	.filter((n) => n > 0);
const picked = SCENARIOS.filter((s) => !only.length || only.includes(s.id));
const log = (line: string) => process.stderr.write(`${line}\n`);

const results: (ScenarioResult & { seconds: number })[] = [];
let broken = false;
for (const s of picked) {
	const t0 = Date.now();
	try {
		const r = await s.run(scale, log);
		results.push({ ...r, seconds: (Date.now() - t0) / 1000 });
		if (r.failures.length) broken = true;
	} catch (e) {
		broken = true;
		const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
		log(`scenario ${s.id} threw: ${message}`);
		results.push({
			scenario: `${s.id}. (threw)`,
			rows: [],
			failures: [`threw: ${message.split('\n')[0]}`],
			seconds: (Date.now() - t0) / 1000
		});
	}
	const last = results[results.length - 1]!;
	process.stdout.write(`\n${drillTable(last, scale)}\n`);
}
if (process.env.DRILL_JSON) writeFileSync(process.env.DRILL_JSON, JSON.stringify({ scale, results }, null, 1));
if (process.env.DRILL_NO_DOCS !== '1') {
	const path = join(ROOT, 'docs', 'drills.md');
	writeFileSync(path, replaceGenerated(readFileSync(path, 'utf8'), results, scale, new Date()));
	log(`docs/drills.md: generated section rewritten (${results.length} scenarios)`);
}
process.exitCode = broken ? 1 : 0;
