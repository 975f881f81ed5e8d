/**
 * Public types of the synthetic demo city (issue 4: `tongxing seed`, and the accuracy benchmark of the
 * spatiotemporal rules). The generator is pure and deterministic: a seeded PRNG, no clock reads (the end of the
 * 14-day window is `CityOptions.start`), no I/O. See docs/demo-city.md for the model.
 *
 * Output is streamed one household at a time (`City.households()`), each person carrying their own facts in the
 * shapes of src/lib/core/rules/facts.ts, so a writer can insert in bulk with bounded memory even at
 * `--residents 1000000`.
 */
import type { CellSite, PersonFacts, RiskArea } from '../../lib/core/rules/facts.js';
import type { EntryPolicy } from '../../lib/server/scans/guards.js';
import { DEFAULT_STRUCTURE, type CityStructure } from './structure.js';

export interface CityOptions {
	/** number of residents (people, not households); default 10 000; 1 000 000 must work */
	readonly residents?: number;
	/** PRNG seed: same seed (and options) → identical city; default 'tongxing' */
	readonly seed?: string | number;
	/** Unix seconds: the END of the 14-day window ('now' of the demo). Required: the generator never reads the clock. */
	readonly start: number;
	/** city centre, WGS-84; default 深圳 福田 (22.5431, 114.0579), matching the demo region 440300 */
	readonly centre?: { readonly lat: number; readonly lon: number };
	/**
	 * GB/T 2260 county codes of the districts the city is split into (laid out west→east, south row first);
	 * default 南山 440305, 福田 440304, 罗湖 440303, 宝安 440306, 龙华 440309, 龙岗 440307.
	 */
	readonly regions?: readonly string[];
	/** compounds, venue mix, scan coverage, phones, towers (structure.ts); default DEFAULT_STRUCTURE, the city of every earlier measurement */
	readonly structure?: Partial<CityStructure>;
	/**
	 * Added to each person's index before it is turned into an ID number and a phone (people.ts): two cities whose
	 * [idBase, idBase + residents) ranges do not overlap share no ID number and no phone (the federation demo's two
	 * regions, city/presets.ts). Default 0.
	 */
	readonly idBase?: number;
	/** The demo identities' ID numbers start with these four digits instead of 4403 (people.ts personaVariant); default none. */
	readonly personaArea?: string;
}

/** The options with every default filled in. */
export interface ResolvedCityOptions {
	readonly residents: number;
	readonly seed: string;
	readonly start: number;
	readonly centre: { readonly lat: number; readonly lon: number };
	readonly regions: readonly string[];
	readonly structure: CityStructure;
	readonly idBase: number;
	readonly personaArea: string | null;
}

export type HouseholdRole = 'head' | 'spouse' | 'child' | 'parent' | 'relative';
export type Occupation = 'worker' | 'student' | 'preschool' | 'retired' | 'at-home';
export type IntendedColour = 'green' | 'yellow' | 'red';

/**
 * The facts of one person as the data sources would deliver them (facts.ts shapes). Fact ids are unique across
 * the city. `contacts[].to` is the ID NUMBER of the case (or close contact) the exposure was to — the generator
 * does not know the server's keyed hash; the seed writer maps it to the ref (idHmac) when storing. The trajectory is present only for people with a
 * phone (stays and transitions, GPS or cell points); `visits` are guard scans of their code at city venues.
 */
export type CityPersonFacts = Omit<PersonFacts, 'ref' | 'declaration'>;

/**
 * What really happened, computed from TRUE positions before GPS/cell noise is added; kept aside for accuracy
 * measurement only (never stored as a fact).
 */
export interface GroundTruth {
	/**
	 * Really exposed: within EXPOSURE_DISTANCE_M of a confirmed case's true position for ≥ EXPOSURE_MIN_S while
	 * that case was infectious, or inside the outbreak site for ≥ EXPOSURE_MIN_S while it was contaminated.
	 */
	readonly exposed: boolean;
	/** how (first qualifying exposure), when exposed; `place`: the kind of place it happened in */
	readonly exposure?: { readonly kind: 'companion' | 'site'; readonly at: number; readonly seconds: number; readonly place: PlaceKind };
	/**
	 * The kind of place of each trajectory point's true stay, one PLACE_CODES letter per point (facts.trajectory
	 * order): the accuracy bench attributes a false yellow to where the evidence against the person was.
	 */
	readonly pointPlaces: string;
	/** a confirmed case of the outbreak */
	readonly infected: boolean;
}

export interface CityPerson {
	/** generator key, stable for a seed: 'P' + zero-padded person index (not personal data; for logs and tests) */
	readonly key: string;
	/** GB 11643 resident ID number with a valid check character; unique in the city */
	readonly idNumber: string;
	readonly name: string;
	readonly sex: 'male' | 'female';
	/** YYYY-MM-DD (also encoded in idNumber) */
	readonly birthDate: string;
	/** 11-digit mainland mobile number, unique; null for young children and some elderly people */
	readonly phone: string | null;
	readonly role: HouseholdRole;
	readonly occupation: Occupation;
	readonly facts: CityPersonFacts;
	readonly truth: GroundTruth;
}

export interface CityHousehold {
	/** household (户) id, unique: region code + 8 digits */
	readonly id: string;
	/** GB/T 2260 county code of the household registration */
	readonly region: string;
	/** the home's true position */
	readonly home: { readonly lat: number; readonly lon: number };
	readonly members: readonly CityPerson[];
}

export type VenueKind = 'market' | 'supermarket' | 'mall' | 'restaurant' | 'hospital' | 'station' | 'office' | 'school' | 'park' | 'gym';

/** Where a true stay was: a venue of its kind, or home, a workplace floor, a classroom, a trip, isolation. */
export type PlaceKind = VenueKind | 'home' | 'work' | 'classroom' | 'transit' | 'isolation';

/** One letter per place kind (GroundTruth.pointPlaces). */
export const PLACE_CODES: Readonly<Record<PlaceKind, string>> = {
	market: 'm',
	supermarket: 'u',
	mall: 'M',
	restaurant: 'r',
	hospital: 'H',
	station: 'T',
	office: 'o',
	school: 'c',
	park: 'p',
	gym: 'g',
	home: 'h',
	work: 'w',
	classroom: 's',
	transit: 't',
	isolation: 'i'
};

/**
 * Share of stays at a venue of each kind that the guard scans (people with a phone; a printed code or a family
 * member's phone: × NO_PHONE_SCAN_FACTOR) in the default city; a city's own shares are its structure's
 * (structure.ts `scanCoverage`). Design numbers, not measurements (docs/demo-city.md "Scan coverage").
 */
export const SCAN_COVERAGE: Readonly<Record<VenueKind, number>> = DEFAULT_STRUCTURE.scanCoverage;
export const NO_PHONE_SCAN_FACTOR = 0.85;

export interface CityVenue {
	/** stable id ('V' + 4 digits); the seed writer may keep it or map it to the stored venue id */
	readonly id: string;
	readonly nameZh: string;
	readonly nameEn: string;
	readonly kind: VenueKind;
	readonly region: string;
	readonly lat: number;
	readonly lon: number;
	/** footprint radius (m): a visit is a stay within it */
	readonly radiusM: number;
	/** entry policy hint for the guard (src/lib/server/scans/guards.ts ENTRY_POLICIES) */
	readonly policy: EntryPolicy;
}

/** A demo identity (src/demo/identities.ts) placed in the city with the colour its facts should yield. */
export interface CityPersona {
	readonly name: string;
	readonly idNumber: string;
	readonly phone: string | null;
	readonly region: string;
	readonly householdId: string;
	/** the colour DEFAULT_RULES give at the end of the window (a test checks it) */
	readonly intended: IntendedColour;
	/** why (which facts), for the printed sign-in list and tests */
	readonly why: string;
}

/** The outbreak as the authority knows it (summary; the per-person facts are on the people). */
export interface CityOutbreak {
	/** the outbreak site (a venue) and when it was contaminated */
	readonly siteVenueId: string;
	readonly siteFrom: number;
	readonly siteUntil: number;
	/** risk areas marked by the authority (facts.ts shape) */
	readonly riskAreas: readonly RiskArea[];
	/** generator keys of the confirmed cases, in confirmation order */
	readonly caseKeys: readonly string[];
}

export interface City {
	readonly options: ResolvedCityOptions;
	/** the 14-day window [from, until) in Unix seconds; until = options.start */
	readonly window: { readonly from: number; readonly until: number };
	/** every true and reported position lies inside this box */
	readonly bbox: { readonly south: number; readonly west: number; readonly north: number; readonly east: number };
	readonly householdCount: number;
	readonly venues: readonly CityVenue[];
	/** the carrier's cell table (every tower; trajectory points name their serving cell by id) */
	readonly cells: readonly CellSite[];
	readonly outbreak: CityOutbreak;
	/** the five demo identities, with their intended colours */
	readonly personas: readonly CityPersona[];
	/** all households in order, generated lazily one at a time (bounded memory) */
	households(): IterableIterator<CityHousehold>;
	/** household by index 0 … householdCount − 1 (deterministic random access; same object content as the iterator) */
	household(index: number): CityHousehold;
	/**
	 * Where household `index` lives and how many people it has, without generating its members' lives (cheap: one
	 * PRNG draw per household) — the same home as household(index).home, for benchmarks that need a population's
	 * places but not its facts (bench/map.ts).
	 */
	home(index: number): { readonly lat: number; readonly lon: number; readonly members: number };
	/** indexes of the households the confirmed cases live in, ascending (the seed writes them first) */
	caseHouseholds(): number[];
	/** the confirmed cases (few; generated by random access) */
	cases(): CityPerson[];
}

/** The entry point (src/demo/city/city.ts): `generateCity(options: CityOptions): City`. */
export type GenerateCity = (options: CityOptions) => City;
