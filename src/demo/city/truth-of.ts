import type { Ctx } from './ctx.js';
import type { Exposure } from './exposures.js';
import { placeOfKind, space, SPACE, spaceKind } from './life.js';
import type { CasePlan } from './plan.js';
import type { GroundTruth, PlaceKind } from './types.js';

/** The kind of place of a space (venues by their kind). */
function placeOf(ctx: Ctx, sp: number): PlaceKind {
	const k = spaceKind(sp);
	if (k === SPACE.venue) return ctx.venueKinds[sp - space(SPACE.venue, 0)] ?? 'transit';
	return placeOfKind(k);
}

/** What really happened to a person: a case, exposed first where and when, or not exposed. */
export function truthOf(ctx: Ctx, ex: readonly Exposure[], c: CasePlan | undefined, pointPlaces: string): GroundTruth {
	if (c)
		return c.kind === 'secondary'
			? { exposed: true, infected: true, exposure: { kind: 'site', at: c.infectedAt, seconds: 0, place: 'market' }, pointPlaces }
			: { exposed: true, infected: true, pointPlaces };
	const real = ex.filter((e) => e.kind !== 'shared').sort((a, b) => a.at - b.at);
	const first = real[0];
	return first
		? {
				exposed: true,
				infected: false,
				exposure: { kind: first.kind as 'companion' | 'site', at: first.at, seconds: first.seconds, place: placeOf(ctx, first.space) },
				pointPlaces
			}
		: { exposed: false, infected: false, pointPlaces };
}
