/**
 * Guard scans as presence (the precise companion rule's venue evidence, docs/rules.md "Venue scans"). A scan logs
 * only the entry: a person scanned into venue V at t is taken to be inside V over the scan stay
 * [t, min(t + stayS, their next scan)) — the next scan puts them somewhere else, so stays never overlap. Two
 * people's stays at the same venue that overlap are exact co-presence (same venue, same minutes); stays at
 * different venues at the same time say they were NOT together, whatever their cells say.
 */
import type { VenueVisit } from './facts.js';
import type { TimeWindow } from './infectious-window.js';
import { listOf } from './window.js';

export interface ScanStay {
	readonly venueId: string;
	/** inclusive */
	readonly from: number;
	/** exclusive */
	readonly until: number;
	/** the visit (scan) id, for the audit's facts */
	readonly id: string;
}

/**
 * The scan stays of one person's visits, sorted by time. Unusable visits (no venue, non-finite time) are skipped;
 * a stay is clipped to `window` (a case's infectious window; [from, until)) and dropped when nothing is left.
 */
export function scanStays(visits: readonly VenueVisit[], stayS: number, window?: TimeWindow): ScanStay[] {
	if (!(stayS > 0)) return [];
	const ok = listOf(visits)
		.filter((v) => v && typeof v.venueId === 'string' && Number.isFinite(v.at))
		.slice()
		// same time: the lower id first (the same facts in any order give the same stays)
		.sort((a, b) => a.at - b.at || (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
	const out: ScanStay[] = [];
	for (let i = 0; i < ok.length; i++) {
		const v = ok[i]!;
		const next = ok[i + 1];
		let from = v.at;
		let until = Math.min(v.at + stayS, next ? next.at : Infinity);
		if (window) {
			from = Math.max(from, window.from);
			until = Math.min(until, window.until);
		}
		if (until > from) out.push({ venueId: v.venueId, from, until, id: String(v.id) });
	}
	return out;
}

/** Seconds of [a, b) covered by the intervals (disjoint). */
export function coveredSeconds(a: number, b: number, intervals: readonly { readonly from: number; readonly until: number }[]): number {
	let s = 0;
	for (const x of intervals) {
		const o = Math.min(b, x.until) - Math.max(a, x.from);
		if (o > 0) s += o;
	}
	return s;
}

/**
 * Where two people's scan stays agree and disagree: `same` — both inside the same venue (exact co-presence);
 * `apart` — both scanned, into different venues. Both lists are disjoint intervals (each person's stays are).
 */
export function compareStays(
	mine: readonly ScanStay[],
	theirs: readonly ScanStay[]
): { same: { from: number; until: number; mine: string; theirs: string }[]; apart: { from: number; until: number }[] } {
	const same: { from: number; until: number; mine: string; theirs: string }[] = [];
	const apart: { from: number; until: number }[] = [];
	let j = 0;
	for (const p of mine) {
		// theirs is sorted and disjoint: skip those ending before p starts
		while (j < theirs.length && theirs[j]!.until <= p.from) j++;
		for (let k = j; k < theirs.length && theirs[k]!.from < p.until; k++) {
			const c = theirs[k]!;
			const from = Math.max(p.from, c.from);
			const until = Math.min(p.until, c.until);
			if (!(until > from)) continue;
			if (c.venueId === p.venueId) same.push({ from, until, mine: p.id, theirs: c.id });
			else apart.push({ from, until });
		}
	}
	return { same, apart };
}
