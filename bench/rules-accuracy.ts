/**
 * Accuracy of the two spatiotemporal-companion methods (issue 4) against the demo city's ground truth.
 * BENCH_ONLY=accuracy npm run bench; size: BENCH_CITY_RESIDENTS (default 100 000), seed: BENCH_CITY_SEED.
 *
 * World: cityWorldFacts — every carrier point and visit of every case with the case's timeline, as the server
 * loads them, indexed once by buildWorldIndex, which keeps each case's points inside the rules' infectious window
 * (core infectious-window.ts: 第九版, 4 days before the first positive sample until confirmation) — the same
 * code the server runs. Every resident who is not a case is matched with matchCompanions (grid, precise) and
 * scored by accuracy() against `truth.exposed` — defined from TRUE positions (same indoor space, ≤ 25 m,
 * ≥ 15 min while the case was infectious, or ≥ 15 min inside the contaminated site), so neither method is
 * graded against itself. See docs/demo-city.md for the model.
 */
import { accuracy, type Accuracy } from '../src/lib/core/rules/accuracy.js';
import { DEFAULT_RULES } from '../src/lib/core/rules/default-rules.js';
import { evaluate } from '../src/lib/core/rules/evaluate.js';
import { matchCompanions } from '../src/lib/core/rules/match-companions.js';
import type { CompanionRule, RuleSet } from '../src/lib/core/rules/rules-schema.js';
import { buildWorldIndex } from '../src/lib/core/rules/spatial-index.js';
import { segments } from '../src/lib/core/rules/trajectory.js';
import { generateCity } from '../src/demo/city/city.js';
import { cityWorldFacts } from '../src/demo/city/world.js';
import { table } from './timing.js';

/** 2026-11-29 12:00 China time: a fixed 'now' so the run is reproducible. */
export const ACCURACY_START = 1_795_896_000;

export interface Variant {
	readonly label: string;
	readonly rule: CompanionRule;
}

const HABITUAL_VARIANTS: readonly (readonly [number, number])[] = [
	[100, 0.5],
	[100, 0.75],
	[100, 1]
];

export function companionVariants(rules: RuleSet = DEFAULT_RULES): Variant[] {
	const base = rules.rules['spatiotemporal-companion'];
	const p = base.precise;
	return [
		{ label: `grid (${base.grid.cellSizeM} m cell, > ${base.grid.minOverlapMinutes} min)`, rule: { ...base, method: 'grid' } },
		{
			label: `precise (default: ${p.distanceM} m, ≥ ${p.minDwellMinutes} min, fixes r ≤ ${p.maxAccuracyM} m, cell time × ${p.coarseWeight}, refine ${p.refineMinutes} min)`,
			rule: { ...base, method: 'precise' }
		},
		// what each part of the precise method contributes
		{
			label: 'precise, fixes only (no cell matching, no refinement)',
			rule: { ...base, method: 'precise', precise: { ...p, coarseWeight: 0, refineMinutes: 0 } }
		},
		{ label: 'precise, cell time at full weight', rule: { ...base, method: 'precise', precise: { ...p, coarseWeight: 1 } } },
		{ label: 'precise, no refinement', rule: { ...base, method: 'precise', precise: { ...p, refineMinutes: 0 } } },
		{
			label: 'precise, cell radius disks (r ≤ 2000 m as fixes)',
			rule: { ...base, method: 'precise', precise: { ...p, maxAccuracyM: 2000, coarseWeight: 0 } }
		},
		// residents' cell points without a fix of the same stay take their habitual place in the cell (habitual-places.ts)
		...HABITUAL_VARIANTS.map(([spread, w]) => ({
			label: `precise + habitual places (spread ≤ ${spread} m), cell time × ${w}`,
			rule: { ...base, method: 'precise' as const, precise: { ...p, habitualSpreadM: spread, coarseWeight: w } }
		}))
	];
}

export interface AccuracyRun {
	readonly residents: number;
	readonly scored: number;
	readonly exposed: number;
	readonly generateMs: number;
	/** exposed by co-presence with a case (first qualifying exposure) */
	readonly companionExposed: number;
	readonly rows: { label: string; flagged: number; acc: Accuracy; companion: Accuracy; ms: number }[];
	readonly colours: Record<string, number>;
}

export function runAccuracy(residents: number, seed?: string, variants: Variant[] = companionVariants()): AccuracyRun {
	const city = generateCity({ residents, start: ACCURACY_START, ...(seed ? { seed } : {}) });
	const now = city.window.until;
	const world = cityWorldFacts(city);
	const caseKeys = new Set(city.outbreak.caseKeys);
	const index = buildWorldIndex(world, DEFAULT_RULES);
	// the precise method's cell settings shape the index: one per variant (the world is small)
	const indexes = variants.map((v) => buildWorldIndex(world, withCompanion(DEFAULT_RULES, v.rule)));
	const predicted = variants.map(() => new Map<string, boolean>());
	const ms = variants.map(() => 0);
	const truth = new Map<string, boolean>();
	const companionTruth = new Map<string, boolean>();
	const colours: Record<string, number> = { green: 0, yellow: 0, red: 0 };
	let generateMs = 0;
	let g = performance.now();
	for (const hh of city.households()) {
		generateMs += performance.now() - g;
		for (const m of hh.members) {
			const facts = { ref: m.key, ...m.facts };
			colours[evaluate(DEFAULT_RULES, facts, index, now).colour]!++;
			if (caseKeys.has(m.key)) continue;
			truth.set(m.key, m.truth.exposed);
			// people exposed only inside the contaminated site are not scored here (flagging them is no false yellow)
			if (!m.truth.exposed || m.truth.exposure?.kind === 'companion') companionTruth.set(m.key, m.truth.exposed);
			const segs = segments(m.facts.trajectory, index.maxGapS);
			variants.forEach((v, i) => {
				const t = performance.now();
				const hit = matchCompanions(segs, indexes[i]!, v.rule, m.key, now).some((x) => x.qualifies);
				ms[i] = ms[i]! + performance.now() - t;
				if (hit) predicted[i]!.set(m.key, true);
			});
		}
		g = performance.now();
	}
	return {
		residents,
		scored: truth.size,
		exposed: [...truth.values()].filter(Boolean).length,
		companionExposed: [...companionTruth.values()].filter(Boolean).length,
		generateMs,
		rows: variants.map((v, i) => ({
			label: v.label,
			flagged: predicted[i]!.size,
			acc: accuracy(predicted[i]!, truth),
			companion: accuracy(new Map([...predicted[i]!].filter(([k]) => companionTruth.has(k))), companionTruth),
			ms: ms[i]!
		})),
		colours
	};
}

function withCompanion(rules: RuleSet, rule: CompanionRule): RuleSet {
	return { ...rules, rules: { ...rules.rules, 'spatiotemporal-companion': rule } };
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);

export function accuracyBench(): Promise<string> {
	const residents = Number(process.env.BENCH_CITY_RESIDENTS ?? 100_000);
	const r = runAccuracy(residents, process.env.BENCH_CITY_SEED);
	const [grid, precise] = r.rows;
	const ratioOf = (x: AccuracyRun['rows'][number]) =>
		grid!.acc.falsePositives === 0 ? null : x.acc.falsePositives / grid!.acc.falsePositives;
	const meets = (x: AccuracyRun['rows'][number]) => {
		const ratio = ratioOf(x);
		return ratio !== null && ratio <= 0.5 && (x.companion.recall ?? 0) >= (grid!.companion.recall ?? 0);
	};
	const fyRatio = ratioOf(precise!);
	return Promise.resolve(
		`### Spatiotemporal companions: grid vs precise against the demo city's ground truth\n\n` +
			`Demo city: ${r.residents.toLocaleString('en')} residents (seed ${process.env.BENCH_CITY_SEED ?? 'tongxing'}), ` +
			`${r.scored.toLocaleString('en')} scored (cases excluded), ${r.exposed.toLocaleString('en')} really exposed, of whom ` +
			`${r.companionExposed.toLocaleString('en')} by co-presence with a case and the rest only by ≥ 15 min inside the contaminated market. ` +
			`Generation ${(r.generateMs / 1000).toFixed(1)} s.\n\n` +
			table(
				[
					'method',
					'flagged',
					'false yellows',
					'false-yellow rate',
					'FY vs grid',
					'recall (co-presence)',
					'recall (all exposures)',
					'precision',
					'match time'
				],
				r.rows.map((x) => [
					x.label,
					x.flagged,
					x.acc.falsePositives,
					pct(x.acc.falsePositiveRate),
					ratioOf(x)?.toFixed(3) ?? '—',
					pct(x.companion.recall),
					pct(x.acc.recall),
					pct(x.acc.precision),
					`${(x.ms / 1000).toFixed(2)} s`
				])
			) +
			`\n\nTarget: false yellows(precise) / false yellows(grid) ≤ 0.5 at equal or better recall of the exposures a companion rule ` +
			`is for (co-presence with a case). Default precise: ${fyRatio === null ? '—' : fyRatio.toFixed(3)}, recall ` +
			`${pct(precise!.companion.recall)} vs ${pct(grid!.companion.recall)} — ${meets(precise!) ? 'met' : 'NOT met'}. ` +
			`Counting market-only exposures too: recall ${pct(precise!.acc.recall)} vs ${pct(grid!.acc.recall)}.\n\n` +
			`Colours with DEFAULT_RULES (precise method) at the end of the window: green ${r.colours.green}, yellow ${r.colours.yellow}, red ${r.colours.red}.\n`
	);
}
