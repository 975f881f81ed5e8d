/**
 * The facts a colour is decided from: the contract between the data-source side (imports, pushes, storage,
 * the demo city — src/lib/server/sources) and the pure rules evaluator (src/lib/core/rules).
 *
 * Conventions: times are Unix seconds (like the code's CWT claims, RFC 8392); coordinates are WGS-84 degrees;
 * distances are metres. A person is referred to by `ref`, an opaque string chosen by the server (the keyed
 * hash of the ID number, never the ID number itself), so facts can be logged and audited without personal data.
 * Every fact carries `id`: the stored row it came from, referenced by the audit entry of a colour change.
 */
import type { CaseTimeline } from './infectious-window.js';

/** A nucleic-acid test result (health source). `sampledAt`, not the report time, is what the rules count. */
export interface TestFact {
	readonly id: string;
	readonly sampledAt: number;
	readonly result: 'negative' | 'positive';
}

/** A confirmed case (health source). `releasedAt`: discharged / declared recovered, if known. */
export interface CaseFact {
	readonly id: string;
	readonly confirmedAt: number;
	readonly releasedAt?: number;
	/** symptom onset, when the investigation found one (the infectious window counts from it: ./infectious-window.ts) */
	readonly onsetAt?: number;
	/** isolation (when before confirmation; ends the infectious window) */
	readonly isolatedAt?: number;
}

/** A quarantine order (health source): in force from `from` until `until` (exclusive). */
export interface QuarantineFact {
	readonly id: string;
	readonly from: number;
	readonly until: number;
}

/**
 * A contact found by investigation (public-security source: relations). `close`: named close contact of a
 * case; `secondary`: close contact of a close contact. `exposedAt`: last exposure.
 */
export interface ContactFact {
	readonly id: string;
	readonly kind: 'close' | 'secondary';
	readonly exposedAt: number;
	/** ref of the case (or close contact) the exposure was to */
	readonly to: string;
}

/** One trajectory point (carrier source). A cell-based point is its cell's centre with the cell's radius. */
export interface TrajectoryPoint {
	readonly id: string;
	readonly at: number;
	readonly lat: number;
	readonly lon: number;
	/** accuracy radius in metres (GPS: a few metres; cell: hundreds to thousands) */
	readonly accuracyM: number;
	/** the serving cell's id (carrier LAC-CI / ECGI) when the point is cell-based; absent for GPS fixes */
	readonly cell?: string;
}

/**
 * A cell site from the carrier's cell table: id, antenna position and nominal coverage radius. The precise
 * companion rule uses the table to tell which cells could have served a GPS fix (docs/rules.md).
 */
export interface CellSite {
	readonly id: string;
	readonly lat: number;
	readonly lon: number;
	readonly radiusM: number;
}

/** A risk area marked by the authority: a polygon (outer ring, [lon, lat] pairs) or a set of grid cells. */
export interface RiskArea {
	readonly id: string;
	readonly level: 'high' | 'medium';
	readonly shape:
		| { readonly type: 'polygon'; readonly ring: readonly (readonly [lon: number, lat: number])[] }
		| { readonly type: 'cells'; readonly cells: readonly string[] };
	/** active window: from (inclusive) until (exclusive; absent = still active) */
	readonly from: number;
	readonly until?: number;
}

/** A scan at one of our venues (from the guard scan logs), joined to the person by the code id. */
export interface VenueVisit {
	readonly id: string;
	readonly venueId: string;
	readonly at: number;
	/**
	 * A visit in another region whose tracing found it overlapped a case there (a federated venue co-visit fact,
	 * docs/federation.md): counts as a co-visit without this region's world knowing the case.
	 */
	readonly coVisitFound?: boolean;
}

/** What the resident declared (the latest declaration). */
export interface DeclarationFact {
	readonly id: string;
	readonly at: number;
	readonly temperatureC: number;
	readonly symptoms: readonly string[];
}

/** Everything known about one person, as the server hands it to the evaluator. */
export interface PersonFacts {
	readonly ref: string;
	readonly declaration?: DeclarationFact;
	readonly tests: readonly TestFact[];
	readonly cases: readonly CaseFact[];
	readonly quarantine: readonly QuarantineFact[];
	readonly contacts: readonly ContactFact[];
	readonly trajectory: readonly TrajectoryPoint[];
	readonly visits: readonly VenueVisit[];
}

/**
 * The world the person's facts are matched against: active risk areas, and the trajectories and venue visits
 * of confirmed cases (for spatiotemporal companions and venue co-visits). The server builds the spatial index
 * over these once per recolour run (see src/lib/core/rules for the index and the matchers).
 */
export interface WorldFacts {
	readonly riskAreas: readonly RiskArea[];
	readonly caseTrajectories: readonly { readonly ref: string; readonly points: readonly TrajectoryPoint[] }[];
	readonly caseVisits: readonly { readonly ref: string; readonly visits: readonly VenueVisit[] }[];
	/** the carrier's cell table (optional: without it a GPS fix is never matched to a cell-based point) */
	readonly cells?: readonly CellSite[];
	/**
	 * What the facts say about each case's course (onset, first positive sample, confirmation, isolation): the
	 * index keeps only each case's points and visits inside its infectious window (./infectious-window.ts). A case
	 * without an entry is not restricted.
	 */
	readonly cases?: readonly CaseTimeline[];
}
