import type { WorldFacts } from '../../lib/core/rules/facts.js';
import { caseTimeline } from '../../lib/core/rules/infectious-window.js';
import type { City, CityPerson } from './types.js';

/**
 * The world facts of the demo city, as a carrier and the health authority would deliver them: the risk areas,
 * every carrier point and venue visit of each case (as loaded by the server: no clipping here), and each case's
 * timeline (confirmation, positive samples). Which of those points are evidence is the rules' infectious window
 * (src/lib/core/rules/infectious-window.ts), applied by the world index the server builds too. Refs are the
 * generator keys (CityPerson.key); a server maps them to its own refs.
 */
export function cityWorldFacts(city: City, ref: (p: CityPerson) => string = (p) => p.key): WorldFacts {
	const cases = city.cases();
	return {
		riskAreas: city.outbreak.riskAreas,
		caseTrajectories: cases.map((c) => ({ ref: ref(c), points: c.facts.trajectory })),
		caseVisits: cases.map((c) => ({ ref: ref(c), visits: c.facts.visits })),
		cells: city.cells,
		cases: cases.map((c) => caseTimeline({ ...c.facts, ref: ref(c) }))
	};
}
