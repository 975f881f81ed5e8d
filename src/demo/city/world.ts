import type { TrajectoryPoint, WorldFacts } from '../../lib/core/rules/facts.js';
import type { City, CityPerson } from './types.js';

/** 第九版's tracing window: a case's movements from 4 days before confirmation are published and matched. */
export const TRACING_WINDOW_S = 4 * 86_400;

/**
 * The world facts of the demo city, as the authority would publish them: the risk areas, and the cases'
 * carrier trajectories and venue visits within the tracing window before confirmation (after it they are in
 * hospital). Refs are the generator keys (CityPerson.key); a server maps them to its own refs.
 */
export function cityWorldFacts(city: City, ref: (p: CityPerson) => string = (p) => p.key): WorldFacts {
	const cases = city.cases();
	const inWindow = (c: CityPerson, at: number) => {
		const confirmed = c.facts.cases[0]!.confirmedAt;
		return at >= confirmed - TRACING_WINDOW_S && at < confirmed;
	};
	return {
		riskAreas: city.outbreak.riskAreas,
		caseTrajectories: cases.map((c) => ({ ref: ref(c), points: c.facts.trajectory.filter((p: TrajectoryPoint) => inWindow(c, p.at)) })),
		caseVisits: cases.map((c) => ({ ref: ref(c), visits: c.facts.visits.filter((v) => inWindow(c, v.at)) })),
		cells: city.cells
	};
}
