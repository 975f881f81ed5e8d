/**
 * The default rule set. Sources and which numbers are our own design choices: docs/rules.md.
 * In short: durations follow 新型冠状病毒肺炎防控方案（第九版） (2022-06); the grid method's numbers are the
 * "时空伴随者" criterion publicised in Chengdu (2021-11); the rest is marked as design in the docs.
 */
import { RULES_FORMAT, type RuleSet } from './rules-schema.js';

/** Two negative tests at least 24 h apart within 3 days (三天两检). */
const THREE_DAYS_TWO_TESTS = { count: 2, apartHours: 24, withinDays: 3 } as const;

export const DEFAULT_RULES: RuleSet = {
	format: RULES_FORMAT,
	version: 'default-2026-12.2',
	effectiveFrom: 0,
	trajectory: { maxPointGapMinutes: 60 },
	rules: {
		'confirmed-case': { active: true, colour: 'red' },
		// discharge criterion of the 第九版 diagnosis plan: two negative tests ≥ 24 h apart
		'positive-test': { active: true, colour: 'red', lookbackDays: null, holdDays: 0, tests: { count: 2, apartHours: 24, withinDays: 7 } },
		'quarantine-order': { active: true, colour: 'red' },
		// 7 d centralised quarantine; tests on days 1, 2, 3, 5, 7 (5 tests; 12 h spacing tolerates sampling times)
		'close-contact': { active: true, colour: 'red', lookbackDays: 14, holdDays: 7, tests: { count: 5, apartHours: 12, withinDays: 7 } },
		// 7 d home quarantine; tests on days 1, 4, 7 (yellow, not red: a design choice, see docs/rules.md)
		'secondary-contact': {
			active: true,
			colour: 'yellow',
			lookbackDays: 14,
			holdDays: 7,
			tests: { count: 3, apartHours: 48, withinDays: 7 }
		},
		// stays in the last 7 days → 7 d centralised quarantine (held 7 d after the last presence); a stay is
		// shown only by a point whose whole accuracy circle lies inside the area (a cell tower's 1 km radius
		// cannot place anyone in a 120 m square: docs/rules.md, "Risk areas")
		'high-risk-area-stay': {
			active: true,
			colour: 'red',
			lookbackDays: 7,
			holdDays: 7,
			tests: null,
			minDwellMinutes: 0,
			accuracyFactor: 1,
			maxAccuracyM: null
		},
		// stays in the last 7 days → 7 d home medical observation
		'medium-risk-area-stay': {
			active: true,
			colour: 'yellow',
			lookbackDays: 7,
			holdDays: 7,
			tests: null,
			minDwellMinutes: 0,
			accuracyFactor: 1,
			maxAccuracyM: null
		},
		'spatiotemporal-companion': {
			active: true,
			colour: 'yellow',
			lookbackDays: 14,
			holdDays: 0,
			tests: THREE_DAYS_TWO_TESTS,
			// 第九版: close contacts are traced from 4 days before onset / the first positive sample (docs/rules.md)
			infectiousLookbackDays: 4,
			method: 'precise',
			grid: { cellSizeM: 800, minOverlapMinutes: 10 },
			precise: {
				distanceM: 50,
				minDwellMinutes: 10,
				accuracyFactor: 1,
				maxAccuracyM: 200,
				coarseWeight: 0.5,
				cellToleranceFactor: 1,
				refineMinutes: 120,
				habitualSpreadM: 0,
				// a guard scan: inside the venue 40 min (docs/rules.md "Venue scans"); with ≥ 10 min this is the co-visit rule's ± 30 min
				scanStayMinutes: 40
			}
		},
		'venue-co-visit': {
			active: true,
			colour: 'yellow',
			lookbackDays: 14,
			holdDays: 0,
			tests: THREE_DAYS_TWO_TESTS,
			infectiousLookbackDays: 4,
			windowMinutes: 30
		},
		'fever-declared': {
			active: true,
			colour: 'yellow',
			lookbackDays: 3,
			holdDays: 0,
			tests: { count: 1, apartHours: 0, withinDays: 0 },
			thresholdC: 37.3
		},
		'symptoms-declared': {
			active: false,
			colour: 'yellow',
			lookbackDays: 3,
			holdDays: 0,
			tests: { count: 1, apartHours: 0, withinDays: 0 }
		}
	}
};
