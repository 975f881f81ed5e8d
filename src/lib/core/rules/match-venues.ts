/**
 * Venue co-visits: the person scanned in at a venue at most windowMinutes before or after (inclusive) a
 * confirmed case scanned in at the same venue. The person's visit must be in [now − lookbackDays, now];
 * case visits after now are ignored. A person is never their own co-visitor.
 */
import type { VenueVisit } from './facts.js';
import type { VenueRule } from './rules-schema.js';
import type { WorldIndex } from './spatial-index.js';
import { listOf, windowStart } from './window.js';

export interface VenueMatch {
	readonly venueId: string;
	readonly caseRef: string;
	/** the person's visit (the exposure time) */
	readonly at: number;
	readonly visitId: string;
	readonly caseVisitId: string;
}

function lowerBound(a: Float64Array, x: number): number {
	let lo = 0,
		hi = a.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (a[mid]! < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

export function matchVenueVisits(
	visits: readonly VenueVisit[],
	index: WorldIndex,
	rule: VenueRule,
	personRef: string,
	now: number
): VenueMatch[] {
	if (listOf(visits).length === 0) return [];
	const lo = windowStart(now, rule.lookbackDays);
	const w = rule.windowMinutes * 60;
	const out: VenueMatch[] = [];
	for (const v of visits) {
		if (!v || typeof v.venueId !== 'string' || !Number.isFinite(v.at) || v.at < lo || v.at > now) continue;
		// another region's tracing already matched this visit against its case (federation: a venue co-visit fact)
		if (v.coVisitFound === true) {
			out.push({ venueId: v.venueId, caseRef: '', at: v.at, visitId: String(v.id), caseVisitId: String(v.id) });
			continue;
		}
		const venue = index.venues.get(v.venueId);
		if (!venue) continue;
		for (let i = lowerBound(venue.at, v.at - w); i < venue.at.length && venue.at[i]! <= v.at + w; i++) {
			if (venue.at[i]! > now) break;
			const caseRef = index.caseRefs[venue.caseIdx[i]!]!;
			if (caseRef === personRef) continue;
			out.push({ venueId: v.venueId, caseRef, at: v.at, visitId: String(v.id), caseVisitId: venue.visitId[i]! });
		}
	}
	return out;
}
