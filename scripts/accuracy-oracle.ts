/**
 * Oracle bound for the spatiotemporal-companion accuracy target (issue 4; docs/benchmarks.md, "Rules accuracy").
 *
 *   node bin/run-ts.js scripts/accuracy-oracle.ts [RESIDENTS=100000] [SEED=tongxing] [TRAIN_SEED=SEED-train]
 *
 * Same city, same start and same published case trajectories as `BENCH_ONLY=accuracy` (bench/rules-accuracy.ts).
 * Two questions, answered with the ground truth (which no rule may see):
 *
 * 1. Evidence. Every resident exposed by co-presence with a case (truth.exposure.kind 'companion') is classed by
 *    what the observed data show DURING the true exposure [at, at + seconds) — against any published case point:
 *    (a) a resident fix and a case fix (accuracy ≤ maxAccuracyM) that pass the precise distance test
 *        max(0, d − k(r₁ + r₂)) ≤ D, for ≥ minDwell in total (a⁻: for some time, but less);
 *    (b) otherwise a time overlap in which at least one side is a cell-based point and the two accuracy disks
 *        (+ D) intersect: evidence only at the resolution of a cell;
 *    (c) nothing: no phone, no resident point or no published case point during the exposure (gaps, the case's
 *        points before the 4-day tracing window are not published), or points that are too far apart.
 *
 * 2. Bound. The best trade-off for rules that judge each (resident, case) time overlap only from the two
 *    overlapping points (positions, accuracy radii, cell ids, times): the fix–fix evidence (a ∪ a⁻) is granted
 *    for free (no false yellows — more than any distance test achieves), then cell-level overlaps are grouped by
 *    what such a rule cannot tell apart — the case point × the resident's cell (a cell-based resident point:
 *    everyone in that cell reports the same point) or the case point × the resident fix's nearest tower (a fix
 *    against a case known only by its cell) — split further by the overlap length (< 10, 10–30, ≥ 30 min,
 *    which a rule can see). Groups are taken greedily, best exposed : non-exposed (marginal, re-ranked as
 *    people are covered) first. Finer groups only make the oracle more optimistic, so the curve is what such a
 *    rule could at best reach on this city, up to the greedy's approximation — for rules that see a
 *    cell-level pair through these three things only (a rule reading a fix's exact position inside the case's
 *    cell, or the exact minutes, is finer than the groups and not bounded by them).
 *    This grouping lets the oracle pick by IDENTITY (this cell, this case point) — knowledge no rule has: it is a
 *    lower bound on false yellows, but a loose one. So the same overlaps are also grouped by what a rule can
 *    compute from the pair alone: kind (resident cell / case fix, fix / case cell, cell / cell), whether the cell
 *    could have served the fix (or is the same cell), overlap length (< 5, 5–10, 10–20, 20–40, ≥ 40 min),
 *    distance between the two reported positions (100 m bins up to 1.5 km) and the cell's radius (< 400, < 700,
 *    < 1000, ≥ 1000 m) — the best rule thresholding those features, fitted on the truth (so still optimistic);
 *    and once more with finer features (overlap in 5 min bins, distance in 50 m bins to 2 km, the local time of
 *    day in 3 h bins, the fix's accuracy in 10 m bins), which gives the fit more room to overfit. Fitted in
 *    sample, a feature rule can memorise this city (many feature cells hold one crowd), so each is also fitted
 *    on a second city of the same size (TRAIN_SEED: other people, other cases) and replayed here in the order
 *    learned there — what a rule designed from data, not from this city's truth, would pay.
 *    The same is repeated after stay-aware refinement (refine-cell-segments.ts with the default settings) of
 *    both sides — the class of rules that first move cell points onto fixes of the same stay, like the default.
 *    A second curve ("charged") starts from what the fixes-only precise rule really flags, false yellows included.
 */
import { ACCURACY_START, companionVariants } from '../bench/rules-accuracy.js';
import { DEFAULT_RULES } from '../src/lib/core/rules/default-rules.js';
import { distanceM, degreeBox } from '../src/lib/core/rules/geo.js';
import { matchCompanions } from '../src/lib/core/rules/match-companions.js';
import { refineCellSegments } from '../src/lib/core/rules/refine-cell-segments.js';
import type { CompanionRule, RuleSet } from '../src/lib/core/rules/rules-schema.js';
import { cellsServing } from '../src/lib/core/rules/serving-cells.js';
import { buildWorldIndex, type WorldIndex } from '../src/lib/core/rules/spatial-index.js';
import { segments, type Segment } from '../src/lib/core/rules/trajectory.js';
import { windowStart } from '../src/lib/core/rules/window.js';
import { generateCity } from '../src/demo/city/city.js';
import { cityWorldFacts } from '../src/demo/city/world.js';

const residents = Number(process.argv[2] ?? 100_000);
const seed = process.argv[3];
/** a second city (another seed) to fit the pair-feature rules on, so that they are tested out of sample */
const trainSeed = process.argv[4] ?? `${seed ?? 'tongxing'}-train`;
const t0 = performance.now();
const base = DEFAULT_RULES.rules['spatiotemporal-companion'];
const P = base.precise;
const withRule = (rule: CompanionRule): RuleSet => ({
	...DEFAULT_RULES,
	rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': rule }
});
const rawRule: CompanionRule = { ...base, method: 'precise', precise: { ...P, refineMinutes: 0 } };
const now = ACCURACY_START;
const lo = windowStart(now, base.lookbackDays);
const variants = companionVariants();
const gridV = variants[0]!,
	preciseV = variants[1]!,
	fixesV = variants[2]!;

type ClassName = 'a' | 'aShort' | 'b' | 'cNoPhone' | 'cNoResidentPoint' | 'cNoCasePoint' | 'cFar';
const noClasses = (): Record<ClassName, number> => ({ a: 0, aShort: 0, b: 0, cNoPhone: 0, cNoResidentPoint: 0, cNoCasePoint: 0, cFar: 0 });

interface Oracle {
	readonly index: WorldIndex;
	readonly classes: Record<ClassName, number>;
	/** people with fix–fix evidence (any length) in their exposure: free in the optimistic bound */
	readonly fixFree: Set<number>;
	/** group key → members (person numbers, ascending, no repeats) */
	readonly groups: Map<string, number[]>;
	/** the same overlaps grouped by what a rule could compute from the pair, not by which cell and case point */
	readonly features: Map<string, number[]>;
	/** finer pair features (more bins, time of day, the fix's accuracy): more room for the fit */
	readonly richFeatures: Map<string, number[]>;
}
const bin = (s: number) => (s < 600 ? 0 : s < 1800 ? 1 : 2);
const fineBin = (s: number) => (s < 300 ? 0 : s < 600 ? 1 : s < 1200 ? 2 : s < 2400 ? 3 : 4);
const radiusBin = (r: number) => (r < 400 ? 0 : r < 700 ? 1 : r < 1000 ? 2 : 3);
function push(m: Map<string, number[]>, key: string, person: number): void {
	const list = m.get(key);
	if (!list) m.set(key, [person]);
	else if (list[list.length - 1] !== person) list.push(person);
}
/** whether a cell at (lat, lon) — a cell-based point's position is its tower's — could have served the fix */
function serves(index: WorldIndex, fixLat: number, fixLon: number, fixAcc: number, towerLat: number, towerLon: number): boolean {
	for (const id of cellsServing(index.cells, fixLat, fixLon, fixAcc, P.cellToleranceFactor)) {
		const c = index.cells.byId.get(id)!;
		if (distanceM(c.lat, c.lon, towerLat, towerLon) < 1) return true;
	}
	return false;
}
const isFix = (s: { accuracyM: number }) => s.accuracyM <= P.maxAccuracyM;

/** Nearest tower of a fix (its own cell as a carrier would name it), '-' when no tower covers it. */
function towerOf(index: WorldIndex, s: Segment): string {
	return cellsServing(index.cells, s.lat, s.lon, 0, 0)[0] ?? '-';
}

function scan(o: Oracle, person: number, segs: readonly Segment[], expo: { from: number; to: number } | null, hasPhone: boolean): void {
	const { index } = o;
	const X = index.segs;
	/** per case: fix–fix seconds inside the exposure */
	const fixInE = new Map<number, number>();
	let cellInE = false,
		residentInE = false,
		caseInE = false;
	for (const s of segs) {
		const a = Math.max(s.start, lo),
			b = Math.min(s.end, now);
		if (!(b > a)) continue;
		if (expo && Math.min(b, expo.to) > Math.max(a, expo.from)) residentInE = true;
		const firstSlot = Math.floor((a - index.maxGapS) / index.slotS);
		const lastSlot = Math.floor(b / index.slotS);
		let tower: string | undefined;
		for (let slot = firstSlot; slot <= lastSlot; slot++) {
			const bucket = index.slotBuckets.get(slot);
			if (!bucket) continue;
			// fixes at their positions, cell-based points at their cell's site (= the reported position in the city)
			const hits: number[] = [];
			for (const t of [bucket.fine, bucket.sites]) {
				if (!t) continue;
				const { dLat, dLon } = degreeBox(s.lat, s.accuracyM + t.maxAccuracyM + P.distanceM);
				for (const n of t.tree.range(s.lon - dLon, s.lat - dLat, s.lon + dLon, s.lat + dLat)) hits.push(t.seg[n]!);
			}
			for (const j of hits) {
				const from = Math.max(a, X.start[j]!),
					to = Math.min(b, X.end[j]!);
				if (!(to > from)) continue;
				const inE = expo ? Math.min(to, expo.to) - Math.max(from, expo.from) : 0;
				if (inE > 0) caseInE = true;
				const rj = X.accuracyM[j]!;
				const d = distanceM(s.lat, s.lon, X.lat[j]!, X.lon[j]!);
				if (d > s.accuracyM + rj + P.distanceM) continue;
				if (isFix(s) && rj <= P.maxAccuracyM) {
					if (Math.max(0, d - P.accuracyFactor * (s.accuracyM + rj)) > P.distanceM) continue;
					if (inE > 0) fixInE.set(X.caseIdx[j]!, (fixInE.get(X.caseIdx[j]!) ?? 0) + inE);
					continue;
				}
				if (inE > 0) cellInE = true;
				const side = isFix(s) ? `f${(tower ??= towerOf(index, s))}` : `c${s.cell ?? `${s.lat},${s.lon}`}`;
				push(o.groups, `${j}|${side}|${bin(to - from)}`, person);
				const kind = isFix(s) ? 'fc' : rj <= P.maxAccuracyM ? 'cf' : 'cc';
				const rel =
					kind === 'cc'
						? d < 1
						: kind === 'cf'
							? serves(index, X.lat[j]!, X.lon[j]!, rj, s.lat, s.lon)
							: serves(index, s.lat, s.lon, s.accuracyM, X.lat[j]!, X.lon[j]!);
				const feature = `${kind}|${rel ? 1 : 0}|${fineBin(to - from)}|${Math.min(15, Math.floor(d / 100))}|${radiusBin(Math.max(kind === 'fc' ? 0 : s.accuracyM, kind === 'cf' ? 0 : rj))}`;
				push(o.features, feature, person);
				const fixAcc = kind === 'fc' ? s.accuracyM : kind === 'cf' ? rj : 0;
				// local (UTC+8) hour of the overlap's start, in 3 h bins
				const tod = Math.floor(((from + 8 * 3600) % 86_400) / 3600 / 3);
				const rich = `${kind}|${rel ? 1 : 0}|${Math.min(11, Math.floor((to - from) / 300))}|${Math.min(39, Math.floor(d / 50))}|${radiusBin(Math.max(kind === 'fc' ? 0 : s.accuracyM, kind === 'cf' ? 0 : rj))}|${tod}|${Math.floor(fixAcc / 10)}`;
				push(o.richFeatures, rich, person);
			}
		}
	}
	if (!expo) return;
	let best = 0;
	for (const v of fixInE.values()) if (v > best) best = v;
	if (best > 0) o.fixFree.add(person);
	const c: ClassName =
		best >= P.minDwellMinutes * 60
			? 'a'
			: best > 0
				? 'aShort'
				: cellInE
					? 'b'
					: !hasPhone
						? 'cNoPhone'
						: !residentInE
							? 'cNoResidentPoint'
							: !caseInE
								? 'cNoCasePoint'
								: 'cFar';
	o.classes[c]++;
}

interface Run {
	/** the scored population of the companion metric: non-cases, minus people exposed only in the market */
	readonly exposed: boolean[];
	readonly flaggedBy: { grid: number[]; precise: number[]; fixes: number[] };
	/** raw points, then after same-stay refinement */
	readonly oracles: readonly [Oracle, Oracle];
}

function collect(citySeed: string | undefined): Run {
	const city = generateCity({ residents, start: ACCURACY_START, ...(citySeed ? { seed: citySeed } : {}) });
	const world = cityWorldFacts(city);
	const caseKeys = new Set(city.outbreak.caseKeys);
	const rawIndex = buildWorldIndex(world, withRule(rawRule));
	const refIndex = buildWorldIndex(world, DEFAULT_RULES);
	const gridIndex = buildWorldIndex(world, withRule(gridV.rule));
	const fixesIndex = buildWorldIndex(world, withRule(fixesV.rule));
	const oracle = (index: WorldIndex): Oracle => ({
		index,
		classes: noClasses(),
		fixFree: new Set(),
		groups: new Map(),
		features: new Map(),
		richFeatures: new Map()
	});
	const run: Run = { exposed: [], flaggedBy: { grid: [], precise: [], fixes: [] }, oracles: [oracle(rawIndex), oracle(refIndex)] };
	let person = 0;
	for (const hh of city.households()) {
		for (const m of hh.members) {
			if (caseKeys.has(m.key)) continue;
			if (m.truth.exposed && m.truth.exposure?.kind !== 'companion') continue;
			const p = person++;
			run.exposed.push(m.truth.exposed);
			const segs = segments(m.facts.trajectory, rawIndex.maxGapS);
			const e = m.truth.exposure;
			const expo = m.truth.exposed && e ? { from: e.at, to: e.at + e.seconds } : null;
			scan(run.oracles[0], p, segs, expo, m.facts.trajectory.length > 0);
			scan(run.oracles[1], p, refineCellSegments(segs, refIndex.cells, refIndex.refine), expo, m.facts.trajectory.length > 0);
			const hit = (v: typeof gridV, index: WorldIndex) => matchCompanions(segs, index, v.rule, m.key, now).some((x) => x.qualifies);
			if (hit(gridV, gridIndex)) run.flaggedBy.grid.push(p);
			if (hit(preciseV, refIndex)) run.flaggedBy.precise.push(p);
			if (hit(fixesV, fixesIndex)) run.flaggedBy.fixes.push(p);
		}
	}
	return run;
}

const test = collect(seed);
const train = collect(trainSeed);
const exposedCount = (r: Run) => r.exposed.filter(Boolean).length;
const nExposed = exposedCount(test);
const score = (r: Run, list: readonly number[]) => {
	let tp = 0,
		fp = 0;
	for (const p of list) {
		if (r.exposed[p]) tp++;
		else fp++;
	}
	return { recall: tp / exposedCount(r), fy: fp };
};
const grid = score(test, test.flaggedBy.grid),
	precise = score(test, test.flaggedBy.precise),
	fixes = score(test, test.flaggedBy.fixes);

/** A group's members not flagged yet: [exposed, not exposed]. */
function marginal(g: readonly number[], flagged: Uint8Array, exposed: readonly boolean[]): [number, number] {
	let e = 0,
		f = 0;
	for (const p of g) {
		if (flagged[p]) continue;
		if (exposed[p]) e++;
		else f++;
	}
	return [e, f];
}

type Curve = { recall: number; fy: number }[];

/** Flags `start`, then the groups in `order`: the curve (recall, false yellows) after each group. */
function replay(r: Run, groups: Map<string, number[]>, start: Iterable<number>, order: readonly string[]): Curve {
	const n = exposedCount(r);
	const flagged = new Uint8Array(r.exposed.length);
	let tp = 0,
		fp = 0;
	const take = (list: Iterable<number>) => {
		for (const p of list) {
			if (flagged[p]) continue;
			flagged[p] = 1;
			if (r.exposed[p]) tp++;
			else fp++;
		}
	};
	take(start);
	const out = [{ recall: tp / n, fy: fp }];
	const seen = new Set(order);
	// groups the order never met (feature values not seen where it was fitted) come last, smallest first
	const unseen = [...groups.keys()].filter((k) => !seen.has(k)).sort((a, b) => groups.get(a)!.length - groups.get(b)!.length);
	for (const key of [...order, ...unseen]) {
		const g = groups.get(key);
		if (!g) continue;
		take(g);
		out.push({ recall: tp / n, fy: fp });
	}
	return out;
}

/**
 * Greedy cover: starting from `start` (already flagged), repeatedly take the group with the best marginal
 * exposed : non-exposed ratio (ranks refreshed after every 0.25 % of recall). Returns the order of the groups.
 */
function greedy(r: Run, groups: Map<string, number[]>, start: Iterable<number>): string[] {
	const n = exposedCount(r);
	const flagged = new Uint8Array(r.exposed.length);
	let tp = 0;
	for (const p of start) {
		if (flagged[p]) continue;
		flagged[p] = 1;
		if (r.exposed[p]) tp++;
	}
	const order: string[] = [];
	let live = [...groups.keys()];
	for (;;) {
		const ranked: { key: string; e: number; f: number }[] = [];
		for (const key of live) {
			const [e, f] = marginal(groups.get(key)!, flagged, r.exposed);
			if (e > 0) ranked.push({ key, e, f });
		}
		if (ranked.length === 0) break;
		live = ranked.map((x) => x.key);
		ranked.sort((x, y) => y.e / (y.f + 0.5) - x.e / (x.f + 0.5) || y.e - x.e);
		const stopAt = tp + Math.max(1, Math.ceil(n * 0.0025));
		for (const x of ranked) {
			const g = groups.get(x.key)!;
			const [e, f] = marginal(g, flagged, r.exposed);
			// marginals only shrink; skip a group whose refreshed ratio fell far below its rank
			if (e === 0 || e / (f + 0.5) < (x.e / (x.f + 0.5)) * 0.5) continue;
			for (const p of g) {
				if (flagged[p]) continue;
				flagged[p] = 1;
				if (r.exposed[p]) tp++;
			}
			order.push(x.key);
			if (tp >= stopAt) break;
		}
	}
	// then the groups that found nobody new, fewest new false yellows first (a rule applied to another city
	// meets them too)
	const taken = new Set(order);
	const rest = [...groups.keys()]
		.filter((k) => !taken.has(k))
		.map((key) => ({ key, f: marginal(groups.get(key)!, flagged, r.exposed)[1] }));
	rest.sort((x, y) => x.f - y.f);
	return [...order, ...rest.map((x) => x.key)];
}

/** the greedy curve fitted on the run itself (in sample) */
const curve = (r: Run, groups: Map<string, number[]>, start: Iterable<number>): Curve => replay(r, groups, start, greedy(r, groups, start));

/** least false yellows at recall ≥ r on the curve (null: not reachable) */
const at = (c: { recall: number; fy: number }[], r: number) => c.find((x) => x.recall >= r - 1e-12)?.fy ?? null;
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const rel = (fy: number | null) => (fy === null ? 'unreachable' : `${fy} (${(fy / grid.fy).toFixed(3)}× grid)`);

console.log(
	`Oracle: ${residents.toLocaleString('en')} residents (seed ${seed ?? 'tongxing'}), ${test.exposed.length.toLocaleString('en')} scored, ${nExposed} exposed by co-presence; ` +
		`pair-feature rules fitted on seed ${trainSeed} (${exposedCount(train)} exposed); ${((performance.now() - t0) / 1000).toFixed(0)} s\n`
);
console.log(
	`grid: ${grid.fy} false yellows at recall ${pct(grid.recall)}; precise default: ${precise.fy} (${(precise.fy / grid.fy).toFixed(3)}×) at ${pct(precise.recall)}; fixes only: ${fixes.fy} at ${pct(fixes.recall)}\n`
);
const names: Record<ClassName, string> = {
	a: '(a) fix–fix evidence ≥ dwell',
	aShort: '(a⁻) fix–fix evidence < dwell',
	b: '(b) cell-level evidence only',
	cNoPhone: '(c) no phone',
	cNoResidentPoint: '(c) no resident point during the exposure',
	cNoCasePoint: '(c) no published case point within reach during it',
	cFar: '(c) points too far apart'
};
const RECALLS = [0.5, 0.6, 0.7, 0.8, 0.86, 0.9, grid.recall, 0.95];
for (const [label, i] of [
	['raw points', 0],
	['after same-stay refinement', 1]
] as const) {
	const o = test.oracles[i],
		t = train.oracles[i];
	console.log(`Evidence during the true exposure (${label}):`);
	for (const k of Object.keys(names) as ClassName[]) console.log(`  ${names[k]}: ${o.classes[k]} (${pct(o.classes[k] / nExposed)})`);
	const free = curve(test, o.groups, o.fixFree);
	console.log(
		`  groups: ${o.groups.size} (by feature: ${o.features.size}, finer: ${o.richFeatures.size}); recall from fix–fix evidence alone ${pct(free[0]!.recall)}; highest reachable ${pct(free[free.length - 1]!.recall)}`
	);
	const rows: [string, Curve][] = [
		['by cell × case point, fix–fix free', free],
		['by cell × case point, fix–fix charged', curve(test, o.groups, test.flaggedBy.fixes)]
	];
	for (const [name, pick] of [
		['pair features', (x: Oracle) => x.features],
		['finer pair features', (x: Oracle) => x.richFeatures]
	] as const) {
		rows.push([`${name}, fitted in sample, fix–fix free`, curve(test, pick(o), o.fixFree)]);
		rows.push([`${name}, fitted in sample, fix–fix charged`, curve(test, pick(o), test.flaggedBy.fixes)]);
		rows.push([`${name}, fitted on ${trainSeed}, fix–fix free`, replay(test, pick(o), o.fixFree, greedy(train, pick(t), t.fixFree))]);
		rows.push([
			`${name}, fitted on ${trainSeed}, fix–fix charged`,
			replay(test, pick(o), test.flaggedBy.fixes, greedy(train, pick(t), train.flaggedBy.fixes))
		]);
	}
	console.log(`  false yellows at recall ≥ ${RECALLS.map(pct).join(' | ')}`);
	for (const [name, c] of rows) console.log(`  ${name}: ${RECALLS.map((r) => rel(at(c, r))).join(' | ')}`);
	console.log('');
}
