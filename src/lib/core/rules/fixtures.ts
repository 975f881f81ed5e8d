/**
 * Builders for the rules tests and the micro-benchmark (pure; not exported from ./index.ts): places by metre
 * offsets from a base point in Chengdu, trajectories as stays, empty people and worlds.
 */
import type { CellSite, PersonFacts, TrajectoryPoint, WorldFacts } from './facts.js';
import { M_PER_DEG } from './geo.js';

/** 成都 天府广场, roughly. */
export const BASE = { lat: 30.6574, lon: 104.0658 } as const;
/** 2026-06-15T04:00:00Z in Unix seconds. */
export const NOW = 1_781_496_000;
export const MIN = 60;
export const HOUR = 3600;
export const DAY = 86_400;

/** The point `east` and `north` metres from `from`. */
export function offset(from: { lat: number; lon: number }, east: number, north: number): { lat: number; lon: number } {
	const lat = from.lat + north / M_PER_DEG;
	return { lat, lon: from.lon + east / (M_PER_DEG * Math.cos((((from.lat + lat) / 2) * Math.PI) / 180)) };
}

let seq = 0;
/** A stay at `place` from `at` for `minutes`, then a point at `away` (so the stay lasts exactly that long). */
export function stay(
	place: { lat: number; lon: number },
	at: number,
	minutes: number,
	opts: { accuracyM?: number; away?: { lat: number; lon: number }; prefix?: string } = {}
): TrajectoryPoint[] {
	const acc = opts.accuracyM ?? 5;
	const away = opts.away ?? offset(BASE, 0, 30_000);
	const p = opts.prefix ?? 'pt';
	return [
		{ id: `${p}-${++seq}`, at, lat: place.lat, lon: place.lon, accuracyM: acc },
		{ id: `${p}-${++seq}`, at: at + minutes * MIN, lat: away.lat, lon: away.lon, accuracyM: acc }
	];
}

/** Two carrier cells `spacingM` apart on an east–west line (A at BASE, B east of it), both of `radiusM`. */
export function twoTowers(
	spacingM: number,
	radiusM: number
): { A: { lat: number; lon: number }; B: { lat: number; lon: number }; CELLS: CellSite[] } {
	const A = { lat: BASE.lat, lon: BASE.lon };
	const B = offset(BASE, spacingM, 0);
	return {
		A,
		B,
		CELLS: [
			{ id: 'A', lat: A.lat, lon: A.lon, radiusM },
			{ id: 'B', lat: B.lat, lon: B.lon, radiusM }
		]
	};
}

export function person(patch: Partial<PersonFacts> = {}): PersonFacts {
	return { ref: 'p-1', tests: [], cases: [], quarantine: [], contacts: [], trajectory: [], visits: [], ...patch };
}

export function world(patch: Partial<WorldFacts> = {}): WorldFacts {
	return { riskAreas: [], caseTrajectories: [], caseVisits: [], ...patch };
}

/** A square ring of half-side `half` metres around `centre`, as [lon, lat] pairs. */
export function square(centre: { lat: number; lon: number }, half: number): [number, number][] {
	return [
		[-half, -half],
		[half, -half],
		[half, half],
		[-half, half]
	].map(([e, n]) => {
		const p = offset(centre, e!, n!);
		return [p.lon, p.lat];
	});
}
