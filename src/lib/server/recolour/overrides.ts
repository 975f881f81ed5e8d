/**
 * Manual colour decisions (colour_overrides, approved proposals: src/lib/server/proposals/) as the decision path
 * honours them: while one is in force for a resident, the colour the rules computed is replaced by the decided
 * one, with the reason `authority-decision` (carried in the code) and the override as a fact used, so a later
 * recolour — new facts, a rules change, a review — keeps it instead of silently undoing it. Its end time is a
 * review time, so the resident is re-evaluated by the rules alone when it ends (review-due.ts).
 */
import type { Db } from '../store/db.js';
import { activeOverridesOf, type ColourOverrideRow } from '../store/colour-overrides.js';
import type { Colour } from '../../core/claims.js';
import type { Evaluation } from './engine.js';

/** The override in force for each ref (the latest started wins). */
export async function overridesFor(db: Db, refs: readonly string[], nowMs: number): Promise<Map<string, ColourOverrideRow>> {
	const out = new Map<string, ColourOverrideRow>();
	for (const o of await activeOverridesOf(db, refs, nowMs)) out.set(o.ref, o);
	return out;
}

/** The evaluation with the override applied (unchanged without one). */
export function withOverride(ev: Evaluation, o: ColourOverrideRow | undefined): Evaluation {
	if (!o) return ev;
	const end = o.until_at === null ? null : Math.ceil(o.until_at / 1000);
	const reviewAt = end === null ? ev.reviewAt : ev.reviewAt === null ? end : Math.min(end, ev.reviewAt);
	return {
		...ev,
		colour: o.colour as Colour,
		reasons: o.colour === 'green' ? [] : ['authority-decision'],
		// the rules' path and events explain the rules' colour, not this decision: the way back is the decision's end
		pathToGreen: [],
		events:
			o.colour === 'green'
				? []
				: [{ reason: 'authority-decision', at: Math.floor(o.from_at / 1000), facts: [`override:${o.id}`], endsAt: end }],
		factsUsed: [...ev.factsUsed, `override:${o.id}`],
		reviewAt
	};
}
