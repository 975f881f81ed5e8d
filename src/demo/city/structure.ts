/**
 * The demo city's structure: how many households share a compound, the mix of guarded venues, how many stays the
 * guards scan, who has a phone and how often it reports a GPS fix, and the carrier's tower spacing. The default
 * is the city every earlier measurement used (byte for byte: with it the generator takes exactly the draws it
 * always took). A different structure is a different city from the same generator — issue 17 checks a rule
 * threshold chosen on the default city on a second one (SECOND_CITY) that the rule was not tuned on.
 */
import type { VenueKind } from './types.js';

export interface CityStructure {
	/** households per residential compound (小区, 150 m radius): bigger means denser high-rise estates */
	readonly householdsPerCompound: number;
	/** weight of each venue kind among the guarded venues (layout.ts draws kinds by weight) */
	readonly venueMix: Readonly<Record<VenueKind, number>>;
	/** one guarded venue per this many residents, on top of 40 (at most 400 venues) */
	readonly residentsPerVenue: number;
	/** share of stays at a venue of each kind that the guard scans, for people with a phone */
	readonly scanCoverage: Readonly<Record<VenueKind, number>>;
	/** share of people aged 18–69 with a phone (teenagers and the elderly scale with it, capped at 1) */
	readonly phoneOwnership: number;
	/** multiplies each phone's GPS share (0.85 / 0.4 / 0, capped at 0.95): how often a point is a fix, not a cell */
	readonly gpsFactor: number;
	/** the carrier's tower grid spacing (m); towers are jittered ± 30 % of it */
	readonly towerSpacingM: number;
}

/**
 * The default city (docs/demo-city.md): the venue weights and scan shares every earlier benchmark measured.
 */
export const DEFAULT_STRUCTURE: CityStructure = {
	householdsPerCompound: 120,
	venueMix: { market: 10, supermarket: 16, mall: 8, restaurant: 30, hospital: 3, station: 6, park: 8, gym: 9, office: 5, school: 5 },
	residentsPerVenue: 4000,
	scanCoverage: {
		station: 0.95,
		hospital: 0.95,
		school: 0.9,
		mall: 0.85,
		gym: 0.85,
		office: 0.8,
		supermarket: 0.8,
		market: 0.65,
		restaurant: 0.6,
		park: 0.3
	},
	phoneOwnership: 1,
	gpsFactor: 1,
	towerSpacingM: 600
};

/**
 * The second city (issue 17's out-of-sample check), fixed before any rule was measured on it and not changed
 * after: a newer district of larger high-rise estates on a denser metro, with fewer wet markets and more malls,
 * laxer scanning at open venues, fewer phones and less GPS, and a denser tower grid. Seed 'second-city'.
 */
export const SECOND_CITY: CityStructure = {
	householdsPerCompound: 200,
	venueMix: { market: 5, supermarket: 14, mall: 14, restaurant: 26, hospital: 3, station: 14, park: 6, gym: 12, office: 8, school: 5 },
	residentsPerVenue: 3000,
	scanCoverage: {
		station: 0.9,
		hospital: 0.9,
		school: 0.85,
		mall: 0.7,
		gym: 0.75,
		office: 0.85,
		supermarket: 0.6,
		market: 0.45,
		restaurant: 0.4,
		park: 0.15
	},
	phoneOwnership: 0.92,
	gpsFactor: 0.8,
	towerSpacingM: 450
};

export const SECOND_CITY_SEED = 'second-city';

/** Named structures (bench and CLI: BENCH_CITY_STRUCTURE=second). */
export const CITY_STRUCTURES: Readonly<Record<string, CityStructure>> = { default: DEFAULT_STRUCTURE, second: SECOND_CITY };

const unit = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;

/** Fills the defaults and checks the ranges (RangeError names the field). */
export function resolveStructure(s: Partial<CityStructure> | undefined): CityStructure {
	const out: CityStructure = {
		...DEFAULT_STRUCTURE,
		...s,
		venueMix: { ...DEFAULT_STRUCTURE.venueMix, ...s?.venueMix },
		scanCoverage: { ...DEFAULT_STRUCTURE.scanCoverage, ...s?.scanCoverage }
	};
	if (!Number.isInteger(out.householdsPerCompound) || out.householdsPerCompound < 10 || out.householdsPerCompound > 2000)
		throw new RangeError('structure.householdsPerCompound must be an integer from 10 to 2000');
	if (!Number.isInteger(out.residentsPerVenue) || out.residentsPerVenue < 500 || out.residentsPerVenue > 100_000)
		throw new RangeError('structure.residentsPerVenue must be an integer from 500 to 100000');
	for (const [k, w] of Object.entries(out.venueMix))
		if (!(Number.isFinite(w) && w >= 0 && w <= 1000)) throw new RangeError(`structure.venueMix.${k} must be from 0 to 1000`);
	if (Object.values(out.venueMix).every((w) => w === 0)) throw new RangeError('structure.venueMix needs one kind with a weight');
	for (const [k, c] of Object.entries(out.scanCoverage))
		if (!unit(c)) throw new RangeError(`structure.scanCoverage.${k} must be from 0 to 1`);
	if (!unit(out.phoneOwnership) || out.phoneOwnership === 0) throw new RangeError('structure.phoneOwnership must be in (0, 1]');
	if (!(Number.isFinite(out.gpsFactor) && out.gpsFactor >= 0 && out.gpsFactor <= 1.2))
		throw new RangeError('structure.gpsFactor must be from 0 to 1.2');
	if (!(Number.isFinite(out.towerSpacingM) && out.towerSpacingM >= 200 && out.towerSpacingM <= 2000))
		throw new RangeError('structure.towerSpacingM must be from 200 to 2000');
	return out;
}
