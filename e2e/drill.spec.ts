/**
 * The city drill's small scale in CI (issue 18, docs/drills.md): scenarios 1–3 through `npm run drill`'s own runner
 * (scripts/drill/index.ts) on the production build, no browser. Each scenario starts its own `node build`
 * servers on free ports with their own data (not this suite's webServer), drives them with simulated phones and
 * scanners built on the apps' client code, and reports the zero-loss properties it broke; the test asserts there
 * are none. The PostgreSQL half of scenario 3 runs when TEST_DATABASE_URL is set. The rush window is 15 s here
 * (DRILL_SECONDS) to keep the whole file near 3 minutes on a 2-core machine; `npm run drill` runs the full scale.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ScenarioResult } from '../scripts/drill/scenario.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'test-results', 'drill');

function drill(only: number): Promise<{ code: number | null; results: ScenarioResult[]; stderr: string }> {
	mkdirSync(OUT, { recursive: true });
	const json = join(OUT, `drill-${only}.json`);
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['bin/run-ts.js', 'scripts/drill/index.ts'], {
			cwd: ROOT,
			env: { ...process.env, DRILL_SCALE: 'small', DRILL_SECONDS: '15', DRILL_ONLY: String(only), DRILL_NO_DOCS: '1', DRILL_JSON: json },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stderr = '';
		child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-8000)));
		child.stdout.resume();
		child.once('error', reject);
		child.once('exit', (code) => {
			try {
				const parsed = JSON.parse(readFileSync(json, 'utf8')) as { results: ScenarioResult[] };
				resolve({ code, results: parsed.results, stderr });
			} catch {
				resolve({ code, results: [], stderr });
			}
		});
	});
}

for (const [id, name] of [
	[1, 'morning rush: every phone shows a valid code throughout; shed requests are retried; every scan stored once'],
	[2, 'day-long outage: codes verify offline for 24 h; every scan arrives once within 60 s; recolours reach scanners in one refresh'],
	[3, 'killed servers: kill -9 during uploads and declarations loses and duplicates nothing']
] as const) {
	test(`drill ${id}, ${name}`, async () => {
		test.setTimeout(360_000);
		const r = await drill(id);
		expect(r.results, `the drill wrote no results (exit ${r.code}):\n${r.stderr}`).toHaveLength(1);
		const result = r.results[0]!;
		expect(result.failures, `${result.scenario}:\n${r.stderr}`).toEqual([]);
		expect(result.rows.length, result.scenario).toBeGreaterThan(0);
		expect(r.code).toBe(0);
	});
}
