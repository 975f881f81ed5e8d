/**
 * The colour mix of the demo city under DEFAULT_RULES at the end of its 14-day window (docs/demo-city.md,
 * "Colours"): colours, people per reason, and how the risk-area stays compare with the ground truth (a stay
 * that colours someone who was never really exposed is a false red / false yellow).
 *
 *   node bin/run-ts.js scripts/city-colours.ts [RESIDENTS=10000] [SEED=tongxing]
 *
 * The start time is bench/rules-accuracy.ts's ACCURACY_START, so the numbers match `BENCH_ONLY=accuracy`.
 */
import { ACCURACY_START } from '../bench/rules-accuracy.js';
import { DEFAULT_RULES } from '../src/lib/core/rules/default-rules.js';
import { evaluate } from '../src/lib/core/rules/evaluate.js';
import { buildWorldIndex } from '../src/lib/core/rules/spatial-index.js';
import { generateCity } from '../src/demo/city/city.js';
import { cityWorldFacts } from '../src/demo/city/world.js';

const residents = Number(process.argv[2] ?? 10_000);
const seed = process.argv[3];
const city = generateCity({ residents, start: ACCURACY_START, ...(seed ? { seed } : {}) });
const now = city.window.until;
const index = buildWorldIndex(cityWorldFacts(city), DEFAULT_RULES);
const colours = { green: 0, yellow: 0, red: 0 };
const reasons = new Map<string, number>();
const onlyReason = new Map<string, number>();
const areaVsTruth = new Map<string, { exposed: number; notExposed: number }>();
let n = 0;
for (const hh of city.households()) {
	for (const m of hh.members) {
		n++;
		const e = evaluate(DEFAULT_RULES, { ref: m.key, ...m.facts }, index, now);
		colours[e.colour]++;
		for (const r of e.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
		if (e.reasons.length === 1) onlyReason.set(e.reasons[0]!, (onlyReason.get(e.reasons[0]!) ?? 0) + 1);
		for (const r of e.reasons) {
			if (r !== 'high-risk-area-stay' && r !== 'medium-risk-area-stay') continue;
			const t = areaVsTruth.get(r) ?? { exposed: 0, notExposed: 0 };
			if (m.truth.exposed) t.exposed++;
			else t.notExposed++;
			areaVsTruth.set(r, t);
		}
	}
}
const pct = (x: number) => `${((x / n) * 100).toFixed(2)} %`;
console.log(
	`${n} residents (seed ${seed ?? 'tongxing'}), rules ${DEFAULT_RULES.version}, now = end of window (${new Date(now * 1000).toISOString()})`
);
console.log(
	`green ${colours.green} (${pct(colours.green)}), yellow ${colours.yellow} (${pct(colours.yellow)}), red ${colours.red} (${pct(colours.red)})`
);
console.log('people per reason (only reason):');
for (const [r, c] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${r}: ${c} (${onlyReason.get(r) ?? 0})`);
for (const [r, t] of areaVsTruth) console.log(`${r} vs ground truth: ${t.exposed} really exposed, ${t.notExposed} not`);
