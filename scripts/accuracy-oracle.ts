/**
 * Oracle bound for the spatiotemporal-companion accuracy target (issue 4; docs/benchmarks.md, "Rules accuracy").
 *
 *   node bin/run-ts.js scripts/accuracy-oracle.ts [RESIDENTS=100000] [SEED=tongxing]
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
 *    rule could at best reach on this city, up to the greedy's approximation.
 *    This grouping lets the oracle pick by IDENTITY (this cell, this case point) — knowledge no rule has: it is a
 *    lower bound on false yellows, but a loose one. So the same overlaps are also grouped by what a rule can
 *    compute from the pair alone: kind (resident cell / case fix, fix / case cell, cell / cell), whether the cell
 *    could have served the fix (or is the same cell), overlap length (< 5, 5–10, 10–20, 20–40, ≥ 40 min),
 *    distance between the two reported positions (100 m bins up to 1.5 km) and the cell's radius (< 400, < 700,
 *    < 1000, ≥ 1000 m) — the best rule thresholding those features, fitted on the truth (so still optimistic);
 *    and once more with finer features (overlap in 5 min bins, distance in 50 m bins to 2 km, the local time of
 *    day in 3 h bins, the fix's accuracy in 10 m bins), which gives the fit more room to overfit.
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
import { generateCity } from '../src/lib/server/demo/city/city.js';
import { cityWorldFacts } from '../src/lib/server/demo/city/world.js';

const residents = Number(process.argv[2] ?? 100_000);
const seed = process.argv[3];
const t0 = performance.now();
const city = generateCity({ residents, start: ACCURACY_START, ...(seed ? { seed } : {}) });
const now = city.window.until;
const world = cityWorldFacts(city);
const caseKeys = new Set(city.outbreak.caseKeys);
const base = DEFAULT_RULES.rules['spatiotemporal-companion'];
const P = base.precise;
const withRule = (rule: CompanionRule): RuleSet => ({ ...DEFAULT_RULES, rules: { ...DEFAULT_RULES.rules, 'spatiotemporal-companion': rule } });
const rawRule: CompanionRule = { ...base, method: 'precise', precise: { ...P, refineMinutes: 0 } };
const rawIndex = buildWorldIndex(world, withRule(rawRule));
const refIndex = buildWorldIndex(world, DEFAULT_RULES);
const lo = windowStart(now, base.lookbackDays);
const variants = companionVariants();
const gridV = variants[0]!, preciseV = variants[1]!, fixesV = variants[2]!;
const gridIndex = buildWorldIndex(world, withRule(gridV.rule));
const fixesIndex = buildWorldIndex(world, withRule(fixesV.rule));

/** The scored population of the companion metric: non-cases, minus people exposed only in the market. */
const exposed: boolean[] = [];
const flaggedBy = { grid: [] as number[], precise: [] as number[], fixes: [] as number[] };
type ClassName = 'a' | 'aShort' | 'b' | 'cNoPhone' | 'cNoResidentPoint' | 'cNoCasePoint' | 'cFar';
const classes: Record<ClassName, number> = { a: 0, aShort: 0, b: 0, cNoPhone: 0, cNoResidentPoint: 0, cNoCasePoint: 0, cFar: 0 };
const classesRefined: Record<ClassName, number> = { ...classes };

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
const oracles: Oracle[] = [
	{ index: rawIndex, classes, fixFree: new Set(), groups: new Map(), features: new Map(), richFeatures: new Map() },
	{ index: refIndex, classes: classesRefined, fixFree: new Set(), groups: new Map(), features: new Map(), richFeatures: new Map() }
];
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
	let cellInE = false, residentInE = false, caseInE = false;
	for (const s of segs) {
		const a = Math.max(s.start, lo), b = Math.min(s.end, now);
		if (!(b > a)) continue;
		if (expo && Math.min(b, expo.to) > Math.max(a, expo.from)) residentInE = true;
		const firstSlot = Math.floor((a - index.maxGapS) / index.slotS);
		const lastSlot = Math.floor(b / index.slotS);
		let tower: string | undefined;
		for (let slot = firstSlot; slot <= lastSlot; slot++) {
			const bucket = index.slotBuckets.get(slot);
			if (!bucket) continue;
			const reach = s.accuracyM + bucket.maxAccuracyM + P.distanceM;
			const { dLat, dLon } = degreeBox(s.lat, reach);
			for (const n of bucket.tree.range(s.lon - dLon, s.lat - dLat, s.lon + dLon, s.lat + dLat)) {
				const j = bucket.seg[n]!;
				const from = Math.max(a, X.start[j]!), to = Math.min(b, X.end[j]!);
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
					kind === 'cc' ? d < 1
					: kind === 'cf' ? serves(index, X.lat[j]!, X.lon[j]!, rj, s.lat, s.lon)
					: serves(index, s.lat, s.lon, s.accuracyM, X.lat[j]!, X.lon[j]!);
				const feature = `${kind}|${rel ? 1 : 0}|${fineBin(to - from)}|${Math.min(15, Math.floor(d / 100))}|${radiusBin(Math.max(kind === 'fc' ? 0 : s.accuracyM, kind === 'cf' ? 0 : rj))}`;
				push(o.features, feature, person);
				const fixAcc = kind === 'fc' ? s.accuracyM : kind === 'cf' ? rj : 0;
				// local (UTC+8) hour of the overlap's start, in 3 h bins
				const tod = Math.floor((((from + 8 * 3600) % 86_400) / 3600) / 3);
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
		best >= P.minDwellMinutes * 60 ? 'a'
		: best > 0 ? 'aShort'
		: cellInE ? 'b'
		: !hasPhone ? 'cNoPhone'
		: !residentInE ? 'cNoResidentPoint'
		: !caseInE ? 'cNoCasePoint'
		: 'cFar';
	o.classes[c]++;
}

let person = 0;
for (const hh of city.households()) {
	for (const m of hh.members) {
		if (caseKeys.has(m.key)) continue;
		if (m.truth.exposed && m.truth.exposure?.kind !== 'companion') continue;
		const p = person++;
		exposed.push(m.truth.exposed);
		const segs = segments(m.facts.trajectory, rawIndex.maxGapS);
		const e = m.truth.exposure;
		const expo = m.truth.exposed && e ? { from: e.at, to: e.at + e.seconds } : null;
		scan(oracles[0]!, p, segs, expo, m.facts.trajectory.length > 0);
		scan(oracles[1]!, p, refineCellSegments(segs, refIndex.cells, refIndex.refine), expo, m.facts.trajectory.length > 0);
		const hit = (v: typeof gridV, index: WorldIndex) => matchCompanions(segs, index, v.rule, m.key, now).some((x) => x.qualifies);
		if (hit(gridV, gridIndex)) flaggedBy.grid.push(p);
		if (hit(preciseV, refIndex)) flaggedBy.precise.push(p);
		if (hit(fixesV, fixesIndex)) flaggedBy.fixes.push(p);
	}
}

const nExposed = exposed.filter(Boolean).length;
const score = (list: readonly number[]) => {
	let tp = 0, fp = 0;
	for (const p of list) {
		if (exposed[p]) tp++;
		else fp++;
	}
	return { recall: tp / nExposed, fy: fp };
};
const grid = score(flaggedBy.grid), precise = score(flaggedBy.precise), fixes = score(flaggedBy.fixes);

/** A group's members not flagged yet: [exposed, not exposed]. */
function marginal(g: readonly number[], flagged: Uint8Array): [number, number] {
	let e = 0, f = 0;
	for (const p of g) {
		if (flagged[p]) continue;
		if (exposed[p]) e++;
		else f++;
	}
	return [e, f];
}

/**
 * Greedy cover: starting from `start` (already flagged), repeatedly take the group with the best marginal
 * exposed : non-exposed ratio (ranks refreshed after every 0.25 % of recall), recording (recall, false yellows).
 */
function curve(groups: Map<string, number[]>, start: Iterable<number>): { recall: number; fy: number }[] {
	const flagged = new Uint8Array(exposed.length);
	let tp = 0, fp = 0;
	for (const p of start) {
		if (flagged[p]) continue;
		flagged[p] = 1;
		if (exposed[p]) tp++;
		else fp++;
	}
	const out = [{ recall: tp / nExposed, fy: fp }];
	let live = [...groups.values()];
	for (;;) {
		const ranked: { g: number[]; e: number; f: number }[] = [];
		for (const g of live) {
			const [e, f] = marginal(g, flagged);
			if (e > 0) ranked.push({ g, e, f });
		}
		if (ranked.length === 0) break;
		live = ranked.map((r) => r.g);
		ranked.sort((x, y) => y.e / (y.f + 0.5) - x.e / (x.f + 0.5) || y.e - x.e);
		const stopAt = tp + Math.max(1, Math.ceil(nExposed * 0.0025));
		for (const r of ranked) {
			const [e, f] = marginal(r.g, flagged);
			// marginals only shrink; skip a group whose refreshed ratio fell far below its rank
			if (e === 0 || e / (f + 0.5) < (r.e / (r.f + 0.5)) * 0.5) continue;
			for (const p of r.g) {
				if (flagged[p]) continue;
				flagged[p] = 1;
				if (exposed[p]) tp++;
		else fp++;
			}
			out.push({ recall: tp / nExposed, fy: fp });
			if (tp >= stopAt) break;
		}
	}
	return out;
}

/** least false yellows at recall ≥ r on the curve (null: not reachable) */
const at = (c: { recall: number; fy: number }[], r: number) => c.find((x) => x.recall >= r - 1e-12)?.fy ?? null;
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const rel = (fy: number | null) => (fy === null ? 'unreachable' : `${fy} (${(fy / grid.fy).toFixed(3)}× grid)`);

console.log(`Oracle: ${residents.toLocaleString('en')} residents (seed ${seed ?? 'tongxing'}), ${exposed.length.toLocaleString('en')} scored, ${nExposed} exposed by co-presence; ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
console.log(`grid: ${grid.fy} false yellows at recall ${pct(grid.recall)}; precise default: ${precise.fy} (${(precise.fy / grid.fy).toFixed(3)}×) at ${pct(precise.recall)}; fixes only: ${fixes.fy} at ${pct(fixes.recall)}\n`);
const names: Record<ClassName, string> = {
	a: '(a) fix–fix evidence ≥ dwell',
	aShort: '(a⁻) fix–fix evidence < dwell',
	b: '(b) cell-level evidence only',
	cNoPhone: '(c) no phone',
	cNoResidentPoint: '(c) no resident point during the exposure',
	cNoCasePoint: '(c) no published case point within reach during it',
	cFar: '(c) points too far apart'
};
for (const [label, o] of [['raw points', oracles[0]!], ['after same-stay refinement', oracles[1]!]] as const) {
	console.log(`Evidence during the true exposure (${label}):`);
	for (const k of Object.keys(names) as ClassName[]) console.log(`  ${names[k]}: ${o.classes[k]} (${pct(o.classes[k] / nExposed)})`);
	const free = curve(o.groups, o.fixFree);
	const charged = curve(o.groups, flaggedBy.fixes);
	const byFeature = curve(o.features, o.fixFree);
	const byFeatureCharged = curve(o.features, flaggedBy.fixes);
	const byRich = curve(o.richFeatures, o.fixFree);
	const byRichCharged = curve(o.richFeatures, flaggedBy.fixes);
	const max = free[free.length - 1]!;
	console.log(`  groups: ${o.groups.size} (by feature: ${o.features.size}, finer: ${o.richFeatures.size}); recall from fix–fix evidence alone ${pct(free[0]!.recall)}; highest reachable ${pct(max.recall)}`);
	for (const r of [0.5, 0.6, 0.7, 0.8, 0.86, 0.9, grid.recall, 0.95]) {
		console.log(`  recall ≥ ${pct(r)}: by cell × case point: optimistic ${rel(at(free, r))}, charged ${rel(at(charged, r))}; by pair features: optimistic ${rel(at(byFeature, r))}, charged ${rel(at(byFeatureCharged, r))}; finer: optimistic ${rel(at(byRich, r))}, charged ${rel(at(byRichCharged, r))}`);
	}
	console.log('');
}
