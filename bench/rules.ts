/**
 * Rules micro-benchmark (issue 4): evaluate() per resident against a synthetic city, for the grid and the
 * precise companion methods, and the indexed precise matcher against an all-pairs scan of the same segments
 * (the baseline measured in the same run). Wire into bench/index.ts as a section: `['rules', rulesBench]`.
 * The target is 1 000 000 residents in ≤ 60 s including storage: the extrapolated evaluate time is printed.
 */
import { DEFAULT_RULES } from '../src/lib/core/rules/default-rules.js';
import { evaluate } from '../src/lib/core/rules/evaluate.js';
import type { PersonFacts, RiskArea, TrajectoryPoint, WorldFacts } from '../src/lib/core/rules/facts.js';
import { BASE, DAY, NOW, offset, square } from '../src/lib/core/rules/fixtures.js';
import { distanceM } from '../src/lib/core/rules/geo.js';
import { cellId } from '../src/lib/core/rules/grid.js';
import { matchCompanions } from '../src/lib/core/rules/match-companions.js';
import type { RuleSet } from '../src/lib/core/rules/rules-schema.js';
import { buildWorldIndex, type WorldIndex } from '../src/lib/core/rules/spatial-index.js';
import { segments, type Segment } from '../src/lib/core/rules/trajectory.js';
import { fmtMs, fmtRatio, table, timeIt } from './timing.js';

/** mulberry32: a small deterministic PRNG, so every run measures the same city. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const CITY_M = 30_000;
function walk(rand: () => number, prefix: string, n: number, accuracy: () => number): TrajectoryPoint[] {
	const points: TrajectoryPoint[] = [];
	const homes = [0, 1, 2].map(() => offset(BASE, (rand() - 0.5) * CITY_M, (rand() - 0.5) * CITY_M));
	let t = NOW - 14 * DAY;
	const step = (14 * DAY) / n;
	for (let i = 0; i < n; i++) {
		const h = homes[Math.floor(rand() * homes.length)]!;
		const p = offset(h, (rand() - 0.5) * 300, (rand() - 0.5) * 300);
		points.push({ id: `${prefix}-${i}`, at: Math.round(t), lat: p.lat, lon: p.lon, accuracyM: accuracy() });
		t += step * (0.5 + rand());
	}
	return points;
}

export function syntheticCity(people: number, cases: number, seed = 7): { world: WorldFacts; population: PersonFacts[] } {
	const rand = rng(seed);
	const acc = () => (rand() < 0.7 ? 5 + rand() * 20 : 100 + rand() * 400);
	const caseTrajectories = Array.from({ length: cases }, (_, i) => ({ ref: `case-${i}`, points: walk(rand, `c${i}`, 300, acc) }));
	const riskAreas: RiskArea[] = Array.from({ length: 40 }, (_, i) => {
		const c = offset(BASE, (rand() - 0.5) * CITY_M, (rand() - 0.5) * CITY_M);
		return i % 2
			? {
					id: `ra-${i}`,
					level: i % 4 === 1 ? 'high' : 'medium',
					shape: { type: 'polygon', ring: square(c, 200 + rand() * 300) },
					from: NOW - 10 * DAY
				}
			: { id: `ra-${i}`, level: 'medium', shape: { type: 'cells', cells: [cellId(c.lat, c.lon, 800)!] }, from: NOW - 10 * DAY };
	});
	const caseVisits = caseTrajectories.map((c, i) => ({
		ref: c.ref,
		visits: [{ id: `cv-${i}`, venueId: `venue-${i % 500}`, at: NOW - Math.floor(rand() * 14 * DAY) }]
	}));
	const population = Array.from({ length: people }, (_, i): PersonFacts => ({
		ref: `p-${i}`,
		tests: [{ id: `t-${i}`, sampledAt: NOW - Math.floor(rand() * 3 * DAY), result: 'negative' }],
		cases: [],
		quarantine: [],
		contacts: rand() < 0.01 ? [{ id: `k-${i}`, kind: 'close', exposedAt: NOW - 2 * DAY, to: 'case-0' }] : [],
		trajectory: walk(rand, `p${i}`, 200, acc),
		visits: [{ id: `v-${i}`, venueId: `venue-${Math.floor(rand() * 2000)}`, at: NOW - Math.floor(rand() * 14 * DAY) }]
	}));
	return { world: { riskAreas, caseTrajectories, caseVisits }, population };
}

/** The baseline: the precise rule's test against every case segment (what the index avoids). */
function allPairsPrecise(mine: readonly Segment[], index: WorldIndex, rules: RuleSet): number {
	const { distanceM: D, accuracyFactor: k, maxAccuracyM } = rules.rules['spatiotemporal-companion'].precise;
	const X = index.segs;
	let hits = 0;
	for (const s of mine) {
		if (s.accuracyM > maxAccuracyM) continue;
		for (let j = 0; j < X.count; j++) {
			if (X.accuracyM[j]! > maxAccuracyM) continue;
			if (Math.min(s.end, X.end[j]!) - Math.max(s.start, X.start[j]!) <= 0) continue;
			if (Math.max(0, distanceM(s.lat, s.lon, X.lat[j]!, X.lon[j]!) - k * (s.accuracyM + X.accuracyM[j]!)) <= D) hits++;
		}
	}
	return hits;
}

export async function rulesBench(): Promise<string> {
	const PEOPLE = 2000,
		CASES = 300;
	const { world, population } = syntheticCity(PEOPLE, CASES);
	const precise = DEFAULT_RULES;
	const grid: RuleSet = {
		...DEFAULT_RULES,
		rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': { ...DEFAULT_RULES.rules['spatiotemporal-companion'], method: 'grid' } }
	};
	let t0 = performance.now();
	const index = buildWorldIndex(world, precise);
	const buildMs = performance.now() - t0;

	const rows: string[][] = [];
	for (const [name, rules] of [
		['precise', precise],
		['grid', grid]
	] as const) {
		let colours = { green: 0, yellow: 0, red: 0 };
		const perPerson =
			(await timeIt(
				() => {
					colours = { green: 0, yellow: 0, red: 0 };
					for (const p of population) colours[evaluate(rules, p, index, NOW).colour]++;
				},
				{ batches: 3, minMs: 300 }
			)) / PEOPLE;
		rows.push([name, fmtMs(perPerson), `${((perPerson * 1e6) / 1000).toFixed(1)} s`, `${colours.green}/${colours.yellow}/${colours.red}`]);
	}

	const SAMPLE = 10;
	const sample = population.slice(0, SAMPLE).map((p) => segments(p.trajectory, index.maxGapS));
	const rule = precise.rules['spatiotemporal-companion'];
	const indexed = (await timeIt(() => sample.forEach((s, i) => matchCompanions(s, index, rule, `p-${i}`, NOW)), { batches: 3 })) / SAMPLE;
	t0 = performance.now();
	sample.forEach((s) => allPairsPrecise(s, index, precise));
	const allPairs = (performance.now() - t0) / SAMPLE;
	// the same population without trajectories: what a resident with only health and contact facts costs
	const factsOnly = population.map((p) => ({ ...p, trajectory: [] }));
	const perFactsOnly =
		(await timeIt(() => factsOnly.forEach((p) => evaluate(precise, p, index, NOW)), { batches: 3, minMs: 300 })) / PEOPLE;

	return (
		`### Colour rules: evaluate() per resident (${PEOPLE} residents × 200 trajectory points, ${CASES} cases × 300 points, 40 risk areas)\n\n` +
		`World index built in ${buildMs.toFixed(0)} ms (${index.segs.count} case segments).\n\n` +
		table(['companion method', 'per resident', '1 000 000 residents (evaluate only)', 'green/yellow/red'], rows) +
		`\n\nA resident without trajectory points (tests, contacts, a venue visit): ${fmtMs(perFactsOnly)} → ${((perFactsOnly * 1e6) / 1000).toFixed(1)} s per 1 000 000.\n` +
		`Indexed precise matching vs all-pairs scan (${SAMPLE} residents): ${fmtMs(indexed)} vs ${fmtMs(allPairs)} per resident = ${fmtRatio(allPairs / indexed)}.\n` +
		'Target: 1 000 000 residents recoloured in ≤ 60 s on 2 cores including storage.\n'
	);
}
