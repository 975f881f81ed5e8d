/**
 * The demo city a region seeds (`tongxing seed` reads the issuer's region): 440300 (深圳) is the default city;
 * 110100 (北京), the federation demo's second region (scripts/federation.ts), is the same generator placed on
 * Beijing's districts, with its own range of ID numbers and phones (idBase) and its own demo identities (ID
 * numbers starting 1101, phones ending in 1) — so the two regions share no resident, and the gateway sees no
 * registration conflict. The ranges stay apart while region 440300 holds at most 800 000 residents.
 */
import type { CityOptions } from './types.js';

/** Where the second demo city's people start in the ID-number scheme (people.ts): past any 440300 demo city. */
export const SECOND_CITY_ID_BASE = 800_000;

const PRESETS: Record<string, Omit<CityOptions, 'start'>> = {
	'110100': {
		// 天安门
		centre: { lat: 39.9087, lon: 116.3975 },
		regions: ['110108', '110102', '110101', '110106', '110105', '110114'],
		idBase: SECOND_CITY_ID_BASE,
		personaArea: '1101'
	}
};

/** The city options of `region`'s demo city (none: the default city). */
export function cityPreset(region: string): Omit<CityOptions, 'start'> {
	return PRESETS[region] ?? {};
}
