/**
 * Accuracy of the two spatiotemporal-companion methods (issue 4) against the demo city's ground truth.
 * BENCH_ONLY=accuracy npm run bench; size: BENCH_CITY_RESIDENTS (default 100 000), seed: BENCH_CITY_SEED, structure:
 * BENCH_CITY_STRUCTURE (default | second: src/demo/city/structure.ts; `second` alone also sets the seed 'second-city').
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
import { matchVenueVisits } from '../src/lib/core/rules/match-venues.js';
import type { CompanionRule, RuleSet } from '../src/lib/core/rules/rules-schema.js';
import { buildWorldIndex } from '../src/lib/core/rules/spatial-index.js';
import { segments } from '../src/lib/core/rules/trajectory.js';
import { generateCity } from '../src/demo/city/city.js';
import { cityWorldFacts } from '../src/demo/city/world.js';
import { PLACE_CODES, type CityPerson, type PlaceKind } from '../src/demo/city/types.js';
import { CITY_STRUCTURES, SECOND_CITY_SEED, type CityStructure } from '../src/demo/city/structure.js';
import { cpus, loadavg } from 'node:os';
import { table } from './timing.js';

/** 2026-11-29 12:00 China time: a fixed 'now' so the run is reproducible. */
export const ACCURACY_START = 1_795_896_000;

export interface Variant {
	readonly label: string;
	readonly rule: CompanionRule;
	/** also flag by the venue co-visit rule (guard scans within ± windowMinutes of a case's), as evaluate does */
	readonly coVisit?: boolean;
}

const HABITUAL_VARIANTS: readonly (readonly [number, number])[] = [
	[100, 0.5],
	[100, 0.75],
	[100, 1]
];

/**
 * The rows of the bench: the grid and precise rules without and with guard scans (the precise rule's own scan
 * evidence, match-companions.ts; the co-visit rule beside either). BENCH_ACCURACY_ALL=1 adds what each part of the
 * precise method contributes (the earlier tables of docs/benchmarks.md).
 */
export function companionVariants(rules: RuleSet = DEFAULT_RULES, all = process.env.BENCH_ACCURACY_ALL === '1'): Variant[] {
	const base = rules.rules['spatiotemporal-companion'];
	const p = base.precise;
	const noScans = { ...p, scanStayMinutes: 0 };
	const core: Variant[] = [
		{ label: `grid (${base.grid.cellSizeM} m cell, > ${base.grid.minOverlapMinutes} min), no scans`, rule: { ...base, method: 'grid' } },
		{
			label: `precise (${p.distanceM} m, ≥ ${p.minDwellMinutes} min, fixes r ≤ ${p.maxAccuracyM} m, cell time × ${p.coarseWeight}, refine ${p.refineMinutes} min), no scans`,
			rule: { ...base, method: 'precise', precise: noScans }
		},
		{
			label: `precise default: + scans as evidence (scan stay ${p.scanStayMinutes ?? 0} min)`,
			rule: { ...base, method: 'precise' }
		},
		{ label: 'grid + venue co-visit rule', rule: { ...base, method: 'grid' }, coVisit: true },
		{ label: 'precise, no scans + venue co-visit rule', rule: { ...base, method: 'precise', precise: noScans }, coVisit: true },
		{ label: 'precise default + venue co-visit rule (what colours residents)', rule: { ...base, method: 'precise' }, coVisit: true },
		// the demo city's exposure (and the common close-contact notion) is ≥ 15 min: what the dwell alone trades
		{
			label: 'precise + scans, ≥ 15 min (not the default)',
			rule: { ...base, method: 'precise', precise: { ...p, minDwellMinutes: 15 } }
		},
		// what would colour residents with a 15-minute dwell: the co-visit rule (± windowMinutes) stays beside it
		{
			label: 'precise + scans, ≥ 15 min + venue co-visit rule',
			rule: { ...base, method: 'precise', precise: { ...p, minDwellMinutes: 15 } },
			coVisit: true
		}
	];
	if (!all) return core;
	return [
		...core,
		{
			label: 'precise, fixes only (no cell matching, no refinement, no scans)',
			rule: { ...base, method: 'precise', precise: { ...noScans, coarseWeight: 0, refineMinutes: 0 } }
		},
		{ label: 'precise, cell time at full weight', rule: { ...base, method: 'precise', precise: { ...p, coarseWeight: 1 } } },
		{ label: 'precise, no refinement', rule: { ...base, method: 'precise', precise: { ...p, refineMinutes: 0 } } },
		...HABITUAL_VARIANTS.map(([spread, w]) => ({
			label: `precise + habitual places (spread ≤ ${spread} m), cell time × ${w}`,
			rule: { ...base, method: 'precise' as const, precise: { ...p, habitualSpreadM: spread, coarseWeight: w } }
		}))
	];
}

/** The kinds of place the per-kind table reports (the city's place kinds grouped; ./types.ts PlaceKind). */
export const REPORT_KINDS = [
	'market',
	'mall',
	'restaurant',
	'office',
	'home',
	'transit',
	'school',
	'supermarket',
	'gym',
	'park',
	'hospital',
	'isolation',
	'unattributed'
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
const KIND_OF_CODE = new Map<string, ReportKind>(Object.entries(PLACE_CODES).map(([kind, code]) => [code, reportKind(kind as PlaceKind)]));
/** offices: office towers and workplaces (their floors); transit: trips and metro stations; school: classrooms and schools */
function reportKind(k: PlaceKind): ReportKind {
	if (k === 'office' || k === 'work') return 'office';
	if (k === 'station') return 'transit';
	if (k === 'classroom') return 'school';
	return k;
}

export interface KindCounts {
	/** scored residents not exposed (the false-yellow denominator is all of them) and those exposed there by co-presence */
	exposed: number;
	/** per variant: false yellows attributed to this kind, exposed here who were flagged */
	falseYellows: number[];
	found: number[];
}

export interface AccuracyRun {
	readonly residents: number;
	readonly scored: number;
	readonly exposed: number;
	readonly generateMs: number;
	/** exposed by co-presence with a case (first qualifying exposure) */
	readonly companionExposed: number;
	readonly unexposed: number;
	readonly rows: { label: string; flagged: number; acc: Accuracy; companion: Accuracy; ms: number }[];
	readonly kinds: Record<ReportKind, KindCounts>;
	/** guard scans in the city, and of them the cases' inside their infectious window */
	readonly scans: { all: number; withPhone: number; residentsWithPhone: number };
	readonly colours: Record<string, number>;
}

/**
 * Where the evidence against a flagged person was: the latest qualifying companion match's person-side facts — a
 * scan (its venue's kind), else the latest trajectory point (its true stay, GroundTruth.pointPlaces); a co-visit
 * flag: its visit's venue.
 */
function evidenceKind(m: CityPerson, ids: readonly string[], venueKind: ReadonlyMap<string, PlaceKind>): ReportKind {
	const visits = new Map(m.facts.visits.map((v) => [v.id, v.venueId]));
	let best = -1;
	for (const id of ids) {
		const venue = visits.get(id);
		if (venue !== undefined) {
			const k = venueKind.get(venue);
			return k ? reportKind(k) : 'unattributed';
		}
		const n = id.startsWith(`${m.key}.t`) ? Number(id.slice(m.key.length + 2)) : -1;
		if (n > best) best = n;
	}
	return (best >= 0 && KIND_OF_CODE.get(m.truth.pointPlaces[best] ?? '')) || 'unattributed';
}

export function runAccuracy(
	residents: number,
	seed?: string,
	variants: Variant[] = companionVariants(),
	structure?: CityStructure
): AccuracyRun {
	const city = generateCity({ residents, start: ACCURACY_START, ...(seed ? { seed } : {}), ...(structure ? { structure } : {}) });
	const now = city.window.until;
	const world = cityWorldFacts(city);
	const caseKeys = new Set(city.outbreak.caseKeys);
	const venueKind = new Map<string, PlaceKind>(city.venues.map((v) => [v.id, v.kind]));
	const index = buildWorldIndex(world, DEFAULT_RULES);
	// the precise method's cell and scan settings shape the index: one per variant (the world is small)
	const indexes = variants.map((v) => buildWorldIndex(world, withCompanion(DEFAULT_RULES, v.rule)));
	const venueRule = DEFAULT_RULES.rules['venue-co-visit'];
	const predicted = variants.map(() => new Map<string, boolean>());
	const ms = variants.map(() => 0);
	const truth = new Map<string, boolean>();
	const companionTruth = new Map<string, boolean>();
	const kinds = Object.fromEntries(
		REPORT_KINDS.map((k) => [k, { exposed: 0, falseYellows: variants.map(() => 0), found: variants.map(() => 0) }])
	) as Record<ReportKind, KindCounts>;
	const colours: Record<string, number> = { green: 0, yellow: 0, red: 0 };
	const scans = { all: 0, withPhone: 0, residentsWithPhone: 0 };
	let unexposed = 0;
	let generateMs = 0;
	let g = performance.now();
	for (const hh of city.households()) {
		generateMs += performance.now() - g;
		for (const m of hh.members) {
			const facts = { ref: m.key, ...m.facts };
			colours[evaluate(DEFAULT_RULES, facts, index, now).colour]!++;
			scans.all += m.facts.visits.length;
			if (m.phone) {
				scans.withPhone += m.facts.visits.length;
				scans.residentsWithPhone++;
			}
			if (caseKeys.has(m.key)) continue;
			truth.set(m.key, m.truth.exposed);
			if (!m.truth.exposed) unexposed++;
			// people exposed only inside the contaminated site are not scored here (flagging them is no false yellow)
			const byCompanion = m.truth.exposure?.kind === 'companion';
			if (!m.truth.exposed || byCompanion) companionTruth.set(m.key, m.truth.exposed);
			const exposedAt = byCompanion ? reportKind(m.truth.exposure.place) : null;
			if (exposedAt) kinds[exposedAt].exposed++;
			const segs = segments(m.facts.trajectory, index.maxGapS);
			variants.forEach((v, i) => {
				const t = performance.now();
				const hits = matchCompanions(segs, indexes[i]!, v.rule, m.key, now, m.facts.visits).filter((x) => x.qualifies);
				const co = v.coVisit && hits.length === 0 ? matchVenueVisits(m.facts.visits, indexes[i]!, venueRule, m.key, now) : [];
				ms[i] = ms[i]! + performance.now() - t;
				if (hits.length === 0 && co.length === 0) return;
				predicted[i]!.set(m.key, true);
				if (exposedAt) kinds[exposedAt].found[i]!++;
				else if (!m.truth.exposed) {
					const latest = hits.sort((a, b) => b.lastAt - a.lastAt)[0];
					const where = latest ? evidenceKind(m, latest.pointIds, venueKind) : evidenceKind(m, [co[0]!.visitId], venueKind);
					kinds[where].falseYellows[i]!++;
				}
			});
		}
		g = performance.now();
	}
	return {
		residents,
		scored: truth.size,
		exposed: [...truth.values()].filter(Boolean).length,
		companionExposed: [...companionTruth.values()].filter(Boolean).length,
		unexposed,
		generateMs,
		rows: variants.map((v, i) => ({
			label: v.label,
			flagged: predicted[i]!.size,
			acc: accuracy(predicted[i]!, truth),
			companion: accuracy(new Map([...predicted[i]!].filter(([k]) => companionTruth.has(k))), companionTruth),
			ms: ms[i]!
		})),
		kinds,
		scans,
		colours
	};
}

function withCompanion(rules: RuleSet, rule: CompanionRule): RuleSet {
	return { ...rules, rules: { ...rules.rules, 'spatiotemporal-companion': rule } };
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);

/** Whether a row meets the target against the grid row: ≤ ½ its false yellows, recall (co-presence) ≥ grid − 3 points. */
function meetsTarget(x: AccuracyRun['rows'][number], grid: AccuracyRun['rows'][number]): { ratio: number | null; met: boolean } {
	const ratio = grid.acc.falsePositives === 0 ? null : x.acc.falsePositives / grid.acc.falsePositives;
	return { ratio, met: ratio !== null && ratio <= 0.5 && (x.companion.recall ?? 0) >= (grid.companion.recall ?? 0) - 0.03 };
}

export function accuracyBench(): Promise<string> {
	const residents = Number(process.env.BENCH_CITY_RESIDENTS ?? 100_000);
	const load = loadavg().map((x) => x.toFixed(1));
	const structureName = process.env.BENCH_CITY_STRUCTURE ?? 'default';
	const structure = CITY_STRUCTURES[structureName];
	if (!structure) throw new Error(`BENCH_CITY_STRUCTURE must be one of ${Object.keys(CITY_STRUCTURES).join(', ')}`);
	const seed = process.env.BENCH_CITY_SEED ?? (structureName === 'second' ? SECOND_CITY_SEED : undefined);
	const r = runAccuracy(residents, seed, companionVariants(), structure);
	const grid = r.rows[0]!;
	const gridScans = r.rows[3]!;
	const shortLabels = [
		'grid',
		'precise, no scans',
		'precise + scans (default)',
		'grid + co-visit',
		'precise, no scans + co-visit',
		'precise + scans + co-visit',
		'precise + scans, ≥ 15 min',
		'precise + scans, ≥ 15 min + co-visit'
	];
	const perKind = table(
		['place (exposed there)', ...r.rows.slice(0, 8).map((_, i) => `${shortLabels[i]}: FY rate · recall`)],
		REPORT_KINDS.map((k) => {
			const c = r.kinds[k];
			return [
				`${k} (${c.exposed})`,
				...r.rows
					.slice(0, 8)
					.map(
						(_, i) => `${pct(c.falseYellows[i]! / r.unexposed)} (${c.falseYellows[i]}) · ${c.exposed ? pct(c.found[i]! / c.exposed) : '—'}`
					)
			];
		})
	);
	const verdict = (i: number, against: AccuracyRun['rows'][number], name: string) => {
		const x = r.rows[i]!;
		const t = meetsTarget(x, against);
		return (
			`${r.rows[i]!.label} vs ${name}: false yellows ${x.acc.falsePositives} / ${against.acc.falsePositives} = ${t.ratio?.toFixed(3) ?? '—'}, ` +
			`recall (co-presence) ${pct(x.companion.recall)} vs ${pct(against.companion.recall)} — ${t.met ? 'met' : 'NOT met'}`
		);
	};
	return Promise.resolve(
		`### Spatiotemporal companions: grid vs precise, without and with guard scans, against the demo city's ground truth\n\n` +
			`Demo city: ${r.residents.toLocaleString('en')} residents (seed ${seed ?? 'tongxing'}, structure ${structureName}), ` +
			`${r.scored.toLocaleString('en')} scored (cases excluded), ${r.exposed.toLocaleString('en')} really exposed, of whom ` +
			`${r.companionExposed.toLocaleString('en')} by co-presence with a case and the rest only by ≥ 15 min inside the contaminated market. ` +
			`Guard scans: ${r.scans.all.toLocaleString('en')} (${(r.scans.withPhone / Math.max(1, r.scans.residentsWithPhone)).toFixed(1)} per phone owner over the 14 days). ` +
			`Generation ${(r.generateMs / 1000).toFixed(1)} s. Load average before the run: ${load.join(' / ')} (${cpus().length} cores).\n\n` +
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
					meetsTarget(x, grid).ratio?.toFixed(3) ?? '—',
					pct(x.companion.recall),
					pct(x.acc.recall),
					pct(x.acc.precision),
					`${(x.ms / 1000).toFixed(2)} s`
				])
			) +
			`\n\nPer kind of place: false yellows attributed to where the evidence against the person was (their latest matched ` +
			`point's true stay, or the scanned venue), as a share of all ${r.unexposed.toLocaleString('en')} unexposed scored residents (count); ` +
			`recall among those exposed there by co-presence (the count in brackets).\n\n` +
			perKind +
			`\n\nTarget (≤ 0.5 × the grid's false yellows at a recall of co-presence exposures no more than 3 points below it):\n` +
			`- ${verdict(2, grid, 'grid')}\n- ${verdict(1, grid, 'grid')}\n- ${verdict(5, gridScans, 'grid + co-visit')}\n` +
			`- ${verdict(6, grid, 'grid')}\n- ${verdict(7, gridScans, 'grid + co-visit')}\n- ${verdict(7, grid, 'grid')}\n\n` +
			`Colours with DEFAULT_RULES at the end of the window: green ${r.colours.green}, yellow ${r.colours.yellow}, red ${r.colours.red}.\n`
	);
}
