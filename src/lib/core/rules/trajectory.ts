/**
 * A trajectory as presence intervals. Points are samples; point i stands for presence at its place from its
 * time until the next point's time, but at most maxGap seconds (a step function): [atᵢ, min(atᵢ₊₁, atᵢ + gap)).
 * The last point covers only its instant. Unusable points (non-finite or out-of-range time, coordinates or
 * accuracy) are dropped; order is by time, then by id, so the result does not depend on input order.
 */
import { isLatLon } from './geo.js';
import { listOf } from './window.js';
import type { TrajectoryPoint } from './facts.js';

export interface Segment {
	readonly id: string;
	readonly lat: number;
	readonly lon: number;
	readonly accuracyM: number;
	readonly start: number;
	readonly end: number;
	/** serving cell id of a cell-based point */
	readonly cell?: string;
}

export function isUsablePoint(p: TrajectoryPoint): boolean {
	return (
		p !== null &&
		typeof p === 'object' &&
		Number.isFinite(p.at) &&
		isLatLon(p.lat, p.lon) &&
		Number.isFinite(p.accuracyM) &&
		p.accuracyM >= 0 &&
		typeof p.id === 'string' &&
		(p.cell === undefined || typeof p.cell === 'string')
	);
}

const byTime = (a: TrajectoryPoint, b: TrajectoryPoint): number => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function segments(points: readonly TrajectoryPoint[], maxGapS: number): Segment[] {
	const usable = listOf(points).filter(isUsablePoint).sort(byTime);
	const out: Segment[] = new Array<Segment>(usable.length);
	for (let i = 0; i < usable.length; i++) {
		const p = usable[i]!;
		const next = usable[i + 1];
		const end = next === undefined ? p.at : Math.min(next.at, p.at + maxGapS);
		// two literal shapes, not a spread: this runs for every point of every resident evaluated
		out[i] =
			p.cell === undefined
				? { id: p.id, lat: p.lat, lon: p.lon, accuracyM: p.accuracyM, start: p.at, end }
				: { id: p.id, lat: p.lat, lon: p.lon, accuracyM: p.accuracyM, start: p.at, end, cell: p.cell };
	}
	return out;
}
