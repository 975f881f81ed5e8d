import { runAccuracy, companionVariants, type Variant } from './bench/rules-accuracy.js';
import { DEFAULT_RULES } from './src/lib/core/rules/default-rules.js';
const base = DEFAULT_RULES.rules['spatiotemporal-companion'];
const p = base.precise;
const extra = JSON.parse(process.argv[3] ?? '[]') as [string, Record<string, number>][];
const vs: Variant[] = [companionVariants()[0]!, companionVariants()[1]!, ...extra.map(([label, o]) => ({ label, rule: { ...base, method: 'precise' as const, precise: { ...p, ...o } } }))];
const r = runAccuracy(Number(process.argv[2]), undefined, vs);
const g = r.rows[0]!;
for (const x of r.rows) console.log(`${x.label.padEnd(50)} FY ${x.acc.falsePositives} (${(x.acc.falsePositives / g.acc.falsePositives).toFixed(3)}×) recall ${((x.companion.recall ?? 0) * 100).toFixed(2)} % ${(x.ms / 1000).toFixed(1)} s`);
