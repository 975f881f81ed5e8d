import type { Projection, Towers } from './layout.js';
import type { LifeContext } from './life.js';
import type { CityStructure } from './structure.js';
import type { VenueKind } from './types.js';

/** What every step of generating a household reads: the city's options, layout, window and structure. */
export interface Ctx extends LifeContext {
	readonly seed: number;
	/** CityOptions.idBase, CityOptions.personaArea */
	readonly idBase?: number;
	readonly personaArea?: string | null;
	readonly sizes: Uint8Array;
	readonly offsets: Float64Array;
	readonly startYear: number;
	readonly window: { from: number; until: number };
	readonly proj: Projection;
	readonly towers: Towers;
	readonly venueIds: readonly string[];
	readonly venueKinds: readonly VenueKind[];
	/** compounds, venue mix, scan coverage, phones, towers (structure.ts) */
	readonly structure: CityStructure;
}
