/** What sort of place a venue is (migration 027, edited in the console): for the officer's lists and the map. */
export const VENUE_KINDS = [
	'transport',
	'market',
	'hospital',
	'school',
	'office',
	'residential',
	'leisure',
	'government',
	'other'
] as const;
export type VenueKind = (typeof VENUE_KINDS)[number];

export function isVenueKind(x: unknown): x is VenueKind {
	return typeof x === 'string' && (VENUE_KINDS as readonly string[]).includes(x);
}
