/**
 * How long a case and another person were together, by evidence kind — the pure part of contact tracing
 * (trace.ts reads the rows). Times are milliseconds; every interval is [from, until).
 * - venue: both scanned (or recorded) at the same venue; each visit stands for a stay of the venue rule's
 *   windowMinutes from its time, so two visits Δ apart overlap for windowMinutes − |Δ| (none beyond the window).
 * - gps: a GPS fix of each (accuracy up to the precise rule's maxAccuracyM), presence from one point to the
 *   next (at most the rules' point gap, core trajectory.ts), at the same time and close by the precise rule's
 *   test: max(0, d − accuracyFactor·(r1 + r2)) ≤ distanceM.
 * - cell: at the same time in the same carrier cell, where at least one of the two points is cell-based (a
 *   GPS fix pair is judged by distance alone).
 * An officer reads these as leads: the rules engine, not this list, decides colours once someone is marked.
 */
import { distanceM } from '../../core/rules/geo.js';
import type { Segment } from '../../core/rules/trajectory.js';
import type { EvidenceKind } from '../../core/contract/tracing.js';

export interface Interval {
	from: number;
	until: number;
}

export interface Found {
	ref: string;
	kind: EvidenceKind;
	/** venue id, `lat,lon` (3 decimals: about 100 m, so one stay is one place) or cell id */
	place: string;
	from: number;
	until: number;
}

export interface DistanceTest {
	distanceM: number;
	accuracyFactor: number;
	maxAccuracyM: number;
}

/** The overlap of two visits to one venue (ms), each a stay of `windowMs` from its time; null when none. */
export function visitOverlap(caseAt: number, otherAt: number, windowMs: number): Interval | null {
	if (Math.abs(caseAt - otherAt) > windowMs) return null;
	return { from: Math.max(caseAt, otherAt), until: Math.min(caseAt, otherAt) + windowMs };
}

const minFrom = (xs: readonly Interval[]) => xs.reduce((m, x) => Math.min(m, x.from), Infinity);
const maxUntil = (xs: readonly Interval[]) => xs.reduce((m, x) => Math.max(m, x.until), -Infinity);

const place = (lat: number, lon: number) => `${lat.toFixed(3)},${lon.toFixed(3)}`;

/**
 * Co-presence of one case's segments with one phone's (both sorted by start, each list non-overlapping, times in
 * seconds as core segments() makes them): one pass with two cursors.
 */
export function segmentOverlaps(caseSegs: readonly Segment[], other: readonly Segment[], ref: string, t: DistanceTest): Found[] {
	const out: Found[] = [];
	let j0 = 0;
	for (const c of caseSegs) {
		while (j0 < other.length && other[j0]!.end <= c.start) j0++;
		for (let j = j0; j < other.length && other[j]!.start < c.end; j++) {
			const o = other[j]!;
			const from = Math.max(c.start, o.start);
			const until = Math.min(c.end, o.end);
			if (!(until > from)) continue;
			const cFix = c.accuracyM <= t.maxAccuracyM;
			const oFix = o.accuracyM <= t.maxAccuracyM;
			if (cFix && oFix) {
				const d = distanceM(c.lat, c.lon, o.lat, o.lon);
				if (Math.max(0, d - t.accuracyFactor * (c.accuracyM + o.accuracyM)) <= t.distanceM)
					out.push({ ref, kind: 'gps', place: place(c.lat, c.lon), from: from * 1000, until: until * 1000 });
			} else if (c.cell !== undefined && c.cell === o.cell) {
				out.push({ ref, kind: 'cell', place: c.cell, from: from * 1000, until: until * 1000 });
			}
		}
	}
	return out;
}

/** The total length (ms) of a union of intervals. */
export function unionLength(intervals: readonly Interval[]): number {
	const sorted = [...intervals].sort((a, b) => a.from - b.from);
	let total = 0;
	let end = -Infinity;
	for (const i of sorted) {
		if (i.until <= end) continue;
		total += i.until - Math.max(i.from, end);
		end = i.until;
	}
	return total;
}

export interface PersonSummary {
	ref: string;
	overlapMs: number;
	first: number;
	last: number;
	evidence: { kind: EvidenceKind; place: string; overlapMs: number; from: number; until: number }[];
}

/** Everything found, per person: evidence grouped by (kind, place), overlaps as unions (never counted twice). */
export function summarise(found: readonly Found[]): PersonSummary[] {
	const byRef = new Map<string, Found[]>();
	for (const f of found) {
		const list = byRef.get(f.ref);
		if (list) list.push(f);
		else byRef.set(f.ref, [f]);
	}
	const out: PersonSummary[] = [];
	for (const [ref, list] of byRef) {
		const groups = new Map<string, Found[]>();
		for (const f of list) {
			const k = `${f.kind}\n${f.place}`;
			const g = groups.get(k);
			if (g) g.push(f);
			else groups.set(k, [f]);
		}
		const evidence = [...groups.values()].map((g) => ({
			kind: g[0]!.kind,
			place: g[0]!.place,
			overlapMs: unionLength(g),
			from: minFrom(g),
			until: maxUntil(g)
		}));
		evidence.sort((a, b) => b.overlapMs - a.overlapMs || a.from - b.from);
		out.push({
			ref,
			overlapMs: unionLength(list),
			first: minFrom(list),
			last: maxUntil(list),
			evidence
		});
	}
	return out.sort((a, b) => b.overlapMs - a.overlapMs || a.first - b.first || (a.ref < b.ref ? -1 : 1));
}
